/** The project's JSON Schemas, compiled once by ajv in strict mode. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { UserError } from './errors.ts';
import { pointerToken } from './json-pointer.ts';
import { SCHEMAS_DIR } from './paths.ts';
import { clip, quote } from './shown-text.ts';

const BASE = 'https://downstream-scaling-audit.local/schemas/';
let ajv: Ajv2020 | undefined;

function instance(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const file of readdirSync(SCHEMAS_DIR).filter((name) => name.endsWith('.schema.json')).sort()) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8')));
  }
  return ajv;
}

export type SchemaName = 'study' | 'claims' | 'vocabulary' | 'analysis-config' | 'reproduction' | 'rule-sets' | 'labels';

export function validator(name: SchemaName): ValidateFunction {
  const validate = instance().getSchema(`${BASE}${name}.schema.json`);
  if (!validate) throw new Error(`schema ${name} not found in ${SCHEMAS_DIR}`);
  return validate;
}

/**
 * A configuration file read as JSON and checked against its schema; `what` names it in the
 * messages ("the rule sets"). A UserError names the file and, per problem, the JSON pointer.
 */
export function readCheckedJson<T>(path: string, schema: SchemaName, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`${path}: cannot read ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const validate = validator(schema);
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => `${path}: ${e.instancePath || '/'}: ${describeSchemaError(e, value)}`);
    throw new UserError(`invalid ${what.replace(/^the /, '')}:\n${problems.join('\n')}`);
  }
  return value as T;
}

/** What a pattern means, for the patterns the schemas use; others are shown as the regular expression. */
const PATTERN_MEANING: Record<string, string> = {
  '^[a-z0-9][a-z0-9_.-]{0,79}$': "a lower-case id: letters, digits, '_', '-' and '.', starting with a letter or digit, at most 80 characters (e.g. \"smith2025\")",
  '^([0-9a-f]{7,40}|none)$': 'a git commit (7 to 40 lower-case hex digits) or "none"',
  '^10\\.[0-9]{4,9}/\\S+$': 'a DOI without "https://doi.org/" (e.g. "10.18653/v1/2025.findings-emnlp.877")',
  '^[0-9]{4}\\.[0-9]{4,5}$': 'an arXiv id without version (e.g. "2403.08540")',
  '^https://\\S+$': 'an https:// address',
  '^[a-z0-9][a-z0-9_.-]*\\.csv$': 'a file name in the study folder ending in .csv (e.g. "observations.csv")',
  '^[a-z0-9][a-z0-9_.-]*\\.json$': 'a file name in the study folder ending in .json (e.g. "claims.json")',
};

const COMPARISON: Record<string, string> = { '<': 'less than', '<=': 'at most', '>': 'greater than', '>=': 'at least' };

/** An ajv error in words a contributor can act on: what was expected and what was found. */
export function describeSchemaError(error: ErrorObject, data: unknown): string {
  const found = valueAt(data, error.instancePath);
  const shown = found === undefined ? '' : `; found ${describeFound(found)}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected property ${quote(params.additionalProperty as string)} (not in the schema; check its spelling or remove it)`;
    case 'required':
      return `missing required property "${params.missingProperty as string}"`;
    case 'type':
      return `must be ${article(String(params.type))}${shown}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${shown}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}${shown}`;
    case 'pattern':
      return `must be ${PATTERN_MEANING[params.pattern as string] ?? `text matching ${params.pattern as string}`}${shown}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${COMPARISON[params.comparison as string] ?? params.comparison} ${params.limit as number}${shown}`;
    case 'minItems':
      return `must have at least ${params.limit as number} item${params.limit === 1 ? '' : 's'}${shown}`;
    case 'maxItems':
      return `must have at most ${params.limit as number} item${params.limit === 1 ? '' : 's'}${shown}`;
    case 'minLength':
      return params.limit === 1 ? `must not be empty${shown}` : `must have at least ${params.limit as number} characters${shown}`;
    case 'maxLength':
      return `must have at most ${params.limit as number} characters (found ${typeof found === 'string' ? found.length : '?'})`;
    default:
      return `${error.message ?? 'is invalid'}${shown}`;
  }
}

/**
 * All schema errors of one document as (pointer, message) pairs: an `anyOf` becomes one message
 * listing the alternatives, and an unexpected property is located at the property itself.
 */
export function schemaProblems(errors: readonly ErrorObject[], data: unknown): { pointer: string; message: string }[] {
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const out: { pointer: string; message: string }[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (anyOfPaths.some((path) => error.schemaPath.startsWith(path))) continue;
    if (error.keyword === 'anyOf') {
      const branches = errors.filter((e) => e.schemaPath.startsWith(`${error.schemaPath}/`) && e.instancePath === error.instancePath);
      if (branches.length > 0 && branches.every((e) => e.keyword === 'required')) {
        const names = branches.map((e) => `"${(e.params as { missingProperty: string }).missingProperty}"`);
        out.push({ pointer: error.instancePath, message: `missing required property: needs ${names.length === 2 ? 'either ' : 'one of '}${names.join(' or ')}` });
      } else {
        const alternatives = branches.map((e) => describeSchemaError(e, data));
        out.push({ pointer: error.instancePath, message: alternatives.length > 0 ? `must satisfy one of: ${alternatives.join(' | ')}` : describeSchemaError(error, data) });
      }
      continue;
    }
    const pointer = error.keyword === 'additionalProperties' ? `${error.instancePath}/${pointerToken((error.params as { additionalProperty: string }).additionalProperty)}` : error.instancePath;
    out.push({ pointer, message: describeSchemaError(error, data) });
  }
  return out;
}

/** A found value for a message: strings quoted and cut, objects and arrays summarised, never whole. */
function describeFound(found: unknown): string {
  if (typeof found === 'string') return quote(found);
  if (Array.isArray(found)) return `an array of ${found.length} item${found.length === 1 ? '' : 's'}`;
  if (found !== null && typeof found === 'object') return `an object with ${Object.keys(found).length} propert${Object.keys(found).length === 1 ? 'y' : 'ies'}`;
  return clip(String(JSON.stringify(found)));
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'an object', array: 'an array', string: 'a string', number: 'a number', integer: 'an integer (a whole number)', boolean: 'true or false', null: 'null' };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

/** The value at a JSON pointer, or undefined; own properties only. */
export function valueAt(data: unknown, pointer: string): unknown {
  let current: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
