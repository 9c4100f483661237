/**
 * The one way this project prints a share as a percentage. The share is `part / whole`, taken as
 * an exact fraction of the two numbers as written in decimal (21/46, 0.4565, 37.43/46), and rounded
 * half away from zero: 21/46 = 45.652…% prints "45.7%" everywhere, whether it comes from counts or
 * from a stored fraction. Exact rational arithmetic (BigInt), so no binary floating-point artefact
 * such as (45.65).toFixed(1) = "45.6" can creep in. Cost: O(digits).
 *
 * @example formatPercent(21, 46) === '45.7%'; formatPercent(0.125, 1, 0) === '13%'
 * @throws when part or whole is not finite, or whole is zero
 */
export function formatPercent(part: number, whole = 1, decimals = 1): string {
  return `${percentDigits(part, whole, decimals)}%`;
}

/** The digits of formatPercent without the "%" sign ("45.7"). */
export function percentDigits(part: number, whole = 1, decimals = 1): string {
  if (!Number.isFinite(part) || !Number.isFinite(whole) || whole === 0) throw new Error(`formatPercent requires finite numbers and a non-zero whole, got ${part}/${whole}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new Error(`formatPercent requires 0–20 decimals, got ${decimals}`);
  const [pn, pd] = rational(part);
  const [wn, wd] = rational(whole);
  // part/whole × 100 × 10^decimals = (pn·wd·100·10^d) / (pd·wn)
  let numerator = pn * wd * 100n * 10n ** BigInt(decimals);
  let denominator = pd * wn;
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  // Half away from zero: floor((2|x| + d) / 2d).
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  let digits = rounded.toString().padStart(decimals + 1, '0');
  if (decimals > 0) digits = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative && rounded !== 0n ? `-${digits}` : digits;
}

/** A finite double as the exact fraction of its shortest decimal form: 0.4565 → [4565n, 10000n]. */
function rational(value: number): [bigint, bigint] {
  const text = Object.is(value, -0) ? '0' : String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new Error(`formatPercent cannot read ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  let numerator = BigInt(`${whole}${fraction}`);
  let denominator = 10n ** BigInt(fraction.length);
  const e = Number(exponent);
  if (e > 0) numerator *= 10n ** BigInt(e);
  else if (e < 0) denominator *= 10n ** BigInt(-e);
  return [sign === '-' ? -numerator : numerator, denominator];
}
