/**
 * What a reader must never see in the report: internal identifiers of features and rules, rule
 * numbers without their sentence, and Markdown escapes of comparison signs.
 */

/** Each pattern with the reason it is banned. */
export const IDENTIFIER_PATTERNS: { pattern: RegExp; why: string }[] = [
  { pattern: /\b(shapeGap|shapeGapOverNoise|scatterOverNoise|absTrendT|reversalZ|trendSize|trendT)\b/, why: 'a feature identifier (use its label from pipeline/config/labels.json)' },
  { pattern: /\brules? \d/i, why: 'a rule number without its sentence' },
  { pattern: /rule\.condition/, why: 'an internal key of the calibration record' },
  { pattern: /\\[<>]=?/, why: 'a backslash-escaped comparison (write ≥, ≤ or words)' },
];

/** Every banned pattern found in `text`, with a little context. */
export function identifierLeaks(text: string): string[] {
  const leaks: string[] = [];
  for (const { pattern, why } of IDENTIFIER_PATTERNS) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of text.matchAll(global)) {
      const at = match.index ?? 0;
      leaks.push(`${why}: …${text.slice(Math.max(0, at - 40), at + match[0].length + 40).replace(/\s+/g, ' ')}…`);
    }
  }
  return leaks;
}

/** The text a reader sees in report.html: scripts and styles dropped, tags removed, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
