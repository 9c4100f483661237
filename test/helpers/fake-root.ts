/**
 * A throw-away repository root for provenance tests: a git repository holding a small registry
 * (the good fixture), the schemas and the committed analysis configuration, so tests can edit an
 * input, commit, reproduce and publish without touching this repository.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type AnalysisConfig } from '../../pipeline/config/analysis-config.ts';
import { reproduce } from '../../pipeline/reproduce.ts';
import { ROOT } from '../../pipeline/util/paths.ts';
import { GOOD_REGISTRY, makeTempDir } from './registry.ts';

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A committed root with studies/ (the good fixture), schemas/, pipeline/config/ and package.json. */
export function makeFakeRoot({ withGit = true } = {}): string {
  const root = makeTempDir('root-');
  cpSync(GOOD_REGISTRY, join(root, 'studies'), { recursive: true });
  cpSync(join(ROOT, 'schemas'), join(root, 'schemas'), { recursive: true });
  mkdirSync(join(root, 'pipeline', 'config'), { recursive: true });
  for (const name of ['analysis.json', 'calibration.json']) cpSync(join(ROOT, 'pipeline', 'config', name), join(root, 'pipeline', 'config', name));
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  // The installed packages, so the run record can name their versions.
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, '.gitignore'), 'node_modules\noutputs/\n.outputs.*\n/other/\n');
  if (withGit) {
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'fixture');
  }
  return root;
}

/** The root's (default the project's) committed configuration with few replicates. */
export function quickConfig(root = ROOT): AnalysisConfig {
  const config = loadConfig(join(root, 'pipeline', 'config', 'analysis.json'));
  config.bootstrap.replicates = 20;
  config.sensitivity.replicates = 10;
  return config;
}

/** Write the root's committed configuration with few replicates, so runs are quick and publishable. */
export function commitQuickConfig(root: string): void {
  writeFileSync(join(root, 'pipeline', 'config', 'analysis.json'), `${JSON.stringify(quickConfig(root), null, 2)}\n`);
  git(root, 'commit', '-q', '-am', 'few replicates');
}

/** `make reproduce` in the fake root: its studies/ and committed configuration into root/outputs. */
export async function reproduceIn(root: string, options: { studies?: string; config?: AnalysisConfig } = {}) {
  const configPath = join(root, 'pipeline', 'config', 'analysis.json');
  return reproduce({
    config: options.config ?? loadConfig(configPath),
    configPath,
    studiesDir: options.studies ?? join(root, 'studies'),
    outputsDir: join(root, 'outputs'),
    root,
  });
}
