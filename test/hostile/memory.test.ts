/**
 * Memory that grows with the registry: what ingest keeps per observation row is a few numbers per
 * cell, not an object per row. Failed before the fix: about 820 bytes of live heap per row of the
 * contributed study (three Maps per row); now about 155 (measured by measure-ingest-heap.ts).
 * Peak memory of a whole run is measured by hand (measure-reproduce-memory.ts), not here.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../pipeline/util/paths.ts';

describe('ingest memory per row', () => {
  it('ingest keeps under 400 bytes per row of a 50,000-row study, normalize under 300 more', () => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'test', 'hostile', 'measure-ingest-heap.ts'), '20', '2500'], { cwd: ROOT, encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    const measured = JSON.parse(child.stdout.trim().split('\n').pop()!) as { rows: number; ingestBytesPerRow: number; normalizeBytesPerRow: number };
    expect(measured.rows).toBe(50_000);
    expect(measured.ingestBytesPerRow).toBeLessThan(400);
    expect(measured.normalizeBytesPerRow).toBeLessThan(300);
  }, 60_000);
});
