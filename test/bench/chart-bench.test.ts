/** bench/chart-bench.ts draws every chart of an outputs folder and says what that cost. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChartBench } from '../../bench/chart-bench.ts';
import { makeFakeRoot, quickConfig, reproduceIn } from '../helpers/fake-root.ts';
import { makeTempDir, removeTempDirs } from '../helpers/registry.ts';

afterAll(removeTempDirs);

describe('chart bench', () => {
  it('draws every chart the report drew and prints each figure as key=value', async () => {
    const root = makeFakeRoot({ withGit: false });
    await reproduceIn(root, { config: quickConfig(root) });
    const outputs = join(root, 'outputs');
    const lines: string[] = [];
    const result = await runChartBench(outputs, (line) => lines.push(line));
    const svgs = readdirSync(join(outputs, 'report', 'figures')).filter((name) => name.endsWith('.svg'));
    expect(result.charts).toBe(svgs.length);
    expect(result.charts).toBeGreaterThan(0);
    expect(result.drawCpuSeconds).toBeGreaterThan(0);
    for (const key of ['chart_compile_cpu_seconds', 'chart_draw_wall_seconds', 'chart_draw_cpu_seconds', 'chart_gc_minor_seconds', 'chart_gc_major_seconds']) {
      expect(lines.some((line) => new RegExp(`^${key}=\\d`).test(line)), key).toBe(true);
    }
  }, 120_000);

  it('says what is missing when the folder holds no reproduction', async () => {
    await expect(runChartBench(makeTempDir('no-outputs-'))).rejects.toThrow(/reproduction\.json not found: run make reproduce first/);
  });
});
