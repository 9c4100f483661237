/** The project's JSON Schemas, compiled once by ajv in strict mode. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { SCHEMAS_DIR } from '../util/paths.ts';

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

export type SchemaName = 'study' | 'claims' | 'vocabulary' | 'analysis-config' | 'reproduction';

export function validator(name: SchemaName): ValidateFunction {
  const validate = instance().getSchema(`${BASE}${name}.schema.json`);
  if (!validate) throw new Error(`schema ${name} not found in ${SCHEMAS_DIR}`);
  return validate;
}

/** An ajv error in words a contributor can act on: what was expected and what was found. */
export function describeSchemaError(error: ErrorObject, data: unknown): string {
  const found = valueAt(data, error.instancePath);
  const shown = found === undefined ? '' : `; found ${JSON.stringify(found)?.slice(0, 80)}`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected property "${(error.params as { additionalProperty: string }).additionalProperty}" (not in the schema; check its spelling)`;
    case 'required':
      return `missing required property "${(error.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${shown}`;
    case 'const':
      return `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}${shown}`;
    case 'pattern':
      return `must match ${(error.params as { pattern: string }).pattern}${shown}`;
    default:
      return `${error.message ?? 'is invalid'}${shown}`;
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  let current: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
