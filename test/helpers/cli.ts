/** Run the project's CLI (or make, or a script) as a contributor would, in a subprocess, and capture what it prints. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../pipeline/util/paths.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `command` from the repository root with `env` (default: this process's, without colour); killed after timeoutMs. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeoutMs = 150_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The project's CLI through tsx, on the TypeScript sources. */
export function runCli(args: string[], timeoutMs = 150_000): Promise<CliRun> {
  return runProcess(join(ROOT, 'node_modules', '.bin', 'tsx'), [join('pipeline', 'cli', 'main.ts'), ...args], undefined, timeoutMs);
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = /^\s{4}at /m;
