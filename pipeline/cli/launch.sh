#!/usr/bin/env bash
# Start the compiled CLI (.build/pipeline/cli/main.js, made by `make build`) with the memory settings
# measured for it; the Makefile and `make bench` both start it here, so both measure the same thing.
# Interleaved runs of `reproduce --fresh` on 2 cores (peak resident memory, all threads):
#   - glibc gives every thread its own malloc arena and keeps what the bootstrap workers and V8's
#     helper threads freed: MALLOC_ARENA_MAX=2 took the peak from ~390 to ~325 MiB;
#   - large buffers (the pipeline's typed arrays) left holes in the main heap that it could not give
#     back: mapping allocations of 128 KiB and more on their own (MALLOC_MMAP_THRESHOLD_) took ~20 MiB more;
#   - V8's young generation of up to 3 × 16 MiB fills with the report's chart garbage: semi-spaces of
#     at most 8 MiB took ~20 MiB more, to ~280–290 MiB.
# The mapped allocations cost ~0.5 s more system CPU time (fresh pages fault in), ~1 s with four more
# copies of gadre2024; the other two changed nothing measurable. A value already in the environment wins.
# --no-parallel-scavenge: on 2 cores V8's young-generation collections gain nothing from helper threads
# (while the bootstrap workers run, both cores are busy; the report's charts keep much of what they
# allocate alive, so a collection is mostly copying): drawing the report's 139 charts took 5.9–6.0 s
# of CPU against 6.3–7.1 s with parallel scavenges, in the same wall time (3 interleaved pairs).
set -euo pipefail
main="$(dirname "${BASH_SOURCE[0]}")/../../.build/pipeline/cli/main.js"
if [[ ! -f "$main" ]]; then
  echo "Error: the compiled CLI is missing (.build/pipeline/cli/main.js): run make build, or any make command" >&2
  exit 1
fi
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
exec node --max-semi-space-size=8 --no-parallel-scavenge "$main" "$@"
