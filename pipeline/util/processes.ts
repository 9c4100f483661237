/**
 * How the project runs a command through zx (git, python3, the CLI in `make bench`): quietly, never
 * throwing on a failing exit (callers read exitCode), and with no standard input. zx runs every
 * command through bash, and bash takes a socket on its standard input (what Node gives a child for a
 * pipe) for a remote login: when it is also the first shell in its environment (SHLVL unset, as under
 * a service or CI runner) it reads ~/.bashrc, whose cost and printed text (pyenv, conda or nvm set-up,
 * say) would then come with every command. Measured here: a cached `reproduce` took 2.9 s instead of
 * 0.8 s, most of it three `pyenv init` waiting on one another behind the three git calls of the run record.
 * Plain options, not a configured `$`, so that importing this does not load zx.
 */
export const COMMAND_OPTIONS = Object.freeze({ quiet: true, nothrow: true, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] });
