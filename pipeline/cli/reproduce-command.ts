/** `make reproduce`: run every stage from studies/ to outputs/ and print published beside reproduced. */
import { join, resolve } from 'node:path';
import { formatJson } from '../util/files.ts';
import { beginGeneration, checkReplaceable } from '../util/generation.ts';
import { sha256Text } from '../util/provenance.ts';
import { RUN_RECORD_FILE, writeRunRecord } from '../util/run-record.ts';
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/analysis-config.ts';
import type { reproductionDocument } from '../aggregate/write-reproduction.ts';
import { OUTPUTS_DIR, STUDIES_DIR } from '../util/paths.ts';
import { DEFAULT_RUN_CACHE_DIR, restoreRun, runKey, runKeyParts, storeRun } from '../util/run-cache.ts';
import type { Command } from './command.ts';
import { parseOptions, registryOption, requireWritableFolder } from './options.ts';
import { UserError } from '../util/errors.ts';
import { formatPercent } from '../util/percent.ts';
import { findingsLines } from './findings.ts';

export const reproduceCommand: Command = {
  summary: 'Run ingest → normalize → fit → classify → aggregate → analyses → report into outputs/',
  help: [
    'Options:',
    '  --studies DIR      registry to read (default studies/)',
    '  --out DIR          where to write (default outputs/)',
    '  --config FILE      analysis configuration (default pipeline/config/analysis.json)',
    '  --replicates N     bootstrap replicates (default from the configuration)',
    '  --cache DIR        cache of earlier runs, keyed by the sha256 of the studies, configuration and code',
    '                     (default .cache/reproduce/); a run with the same key copies its files from there,',
    '                     and other runs read the bootstrap results and charts that are unchanged',
    '  --fresh            recompute everything, ignoring the caches (make reproduce FRESH=1)',
  ].join('\n'),
  async run(args) {
    const options = parseOptions(args, {
      studies: { type: 'string', default: STUDIES_DIR },
      out: { type: 'string', default: OUTPUTS_DIR },
      config: { type: 'string' },
      replicates: { type: 'string' },
      cache: { type: 'string', default: DEFAULT_RUN_CACHE_DIR },
      fresh: { type: 'boolean' },
    });
    const studiesDir = registryOption(options.studies as string);
    const configPath = options.config ? resolve(options.config as string) : DEFAULT_CONFIG_PATH;
    const config = loadConfig(configPath);
    if (options.replicates !== undefined) config.bootstrap.replicates = positiveInteger(options.replicates as string, '--replicates');
    const outputs = requireWritableFolder(resolve(options.out as string), '--out');
    const started = Date.now();
    const log = (line: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
    const cacheDir = resolve(options.cache as string);
    const parts = runKeyParts(studiesDir, config);
    const key = runKey(parts);
    type Documents = ReturnType<typeof reproductionDocument>[];
    const record = { registryDir: studiesDir, configPath, configSha256: sha256Text(formatJson(config)) };
    if (!options.fresh) {
      // A cached run is restored as a new generation of outputs/ with its own run record (git state now).
      checkReplaceable(outputs);
      const generation = beginGeneration(outputs);
      let committed = false;
      try {
        const cached = restoreRun<Documents>(cacheDir, key, generation.dir);
        if (cached) {
          await writeRunRecord(generation.dir, record, cached.hashes);
          generation.commit();
          committed = true;
          log(`nothing changed since a cached run (studies, configuration and code hash to ${key.slice(0, 12)}…): copied its ${cached.written.length} files to ${outputs}; make reproduce FRESH=1 recomputes`);
          cached.extra.forEach((document) => printResults(document, outputs));
          return 0;
        }
      } finally {
        if (!committed) generation.abort();
      }
    }
    const { reproduce } = await import('../reproduce.ts'); // the pipeline loads only when it has to run
    // What is unchanged since the last run (e.g. every other study's bootstrap and charts, when one changed) is read, not computed.
    const cache = options.fresh ? undefined : { dir: cacheDir, codeVersion: parts.code! };
    const { documents, written, hashes } = await reproduce({ config, configPath, studiesDir, outputsDir: outputs, log, cache });
    // The run record is made anew for every generation (it names the git state), so it is not cached.
    storeRun(cacheDir, key, outputs, written.filter((path) => path !== join(outputs, RUN_RECORD_FILE)), documents, hashes);
    log(`wrote ${written.length} files to ${outputs}`);
    documents.forEach((document) => printResults(document, outputs));
    return 0;
  },
};

function printResults(document: ReturnType<typeof reproductionDocument>, outputs: string): void {
  printHeadline(document);
  for (const line of findingsLines(outputs, document.study)) console.log(line);
  console.log('');
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${name} must be a positive integer, found ${text}`);
  return value;
}

function printHeadline(document: ReturnType<typeof reproductionDocument>): void {
  const pct = (v: number): string => formatPercent(v);
  const pctOf = (k: number, n: number): string => formatPercent(k, n);
  const p = document.published;
  const r = document.reproduced;
  const a = document.agreement;
  console.log('');
  console.log(`Tasks that scale predictably (${document.study}, x = ${document.xSet}):`);
  console.log(`  published  (${document.claims})  ${String(p.predictable).padStart(3)}/${p.total}  ${pctOf(p.predictable, p.total)}`);
  console.log(`  reproduced (this pipeline)  ${String(r.predictable).padStart(3)}/${r.total}  ${pctOf(r.predictable, r.total)}  95% interval ${pctOf(r.ci95Count[0]!, r.total)}–${pctOf(r.ci95Count[1]!, r.total)} (${r.bootstrap.replicates} bootstrap replicates of models)`);
  console.log(`Agreement with the published labels:`);
  console.log(`  predictable vs not   ${a.binary.agree}/${a.binary.total}  κ = ${a.binary.kappa.toFixed(2)}`);
  console.log(`  six behaviours       ${a.categories.agree}/${a.categories.total}  κ = ${a.categories.kappa.toFixed(2)}`);
  const loo = document.leaveOneTaskOut;
  console.log(`Leave-one-task-out (thresholds searched without the task; tied optima averaged):`);
  console.log(`  predictable vs not   ${loo.binary.agree.toFixed(2)}/${loo.binary.total}  ${pctOf(loo.binary.agree, loo.binary.total)}`);
  console.log(`  six behaviours       ${loo.categories.agree.toFixed(2)}/${loo.categories.total}  ${pctOf(loo.categories.agree, loo.categories.total)}`);
  console.log('');
}
