import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/config/analysis-config.ts';
import { validator, type SchemaName } from '../pipeline/util/schemas.ts';
import { SCHEMAS_DIR } from '../pipeline/util/paths.ts';

describe('schemas', () => {
  const names = readdirSync(SCHEMAS_DIR)
    .filter((file) => file.endsWith('.schema.json') && file !== 'defs.schema.json')
    .map((file) => file.replace('.schema.json', '') as SchemaName);

  it.each(names)('%s compiles in ajv strict mode', (name) => {
    expect(() => validator(name)).not.toThrow();
  });

  it('accepts the committed analysis configuration and rejects a broken one', () => {
    const config = loadConfig();
    expect(validator('analysis-config')(config)).toBe(true);
    const broken = structuredClone(config) as unknown as { rules: { conditions: { op: string }[] }[] };
    broken.rules[0]!.conditions[0]!.op = '=~';
    expect(validator('analysis-config')(broken)).toBe(false);
  });
});
