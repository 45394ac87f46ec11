#!/usr/bin/env bash
# npm test's static checks, side by side: Prettier, ESLint and tsc (server and mini-program) are each single-threaded, so on
# 2 cores running them together takes about half the time of one after the other. Each keeps its
# output until it ends (no interleaved lines); the exit status fails when any of them fails.
#
# All three cache what they checked in .cache/ (git-ignored): an unchanged file is neither
# re-formatted, re-linted nor re-typed on the next run. CI starts from a clean clone, so it always
# checks everything. `rm -rf .cache` (or ANTNEST_NO_CACHE=1) forces a full check locally.
# The ESLint cache is per file: a cycle a change makes is still found, at the changed file's new
# import; a file deleted under an unchanged importer is found by tsc (whose cache follows the graph).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin
cache=(); eslint_cache=(); tsc_cache=()
if [ "${ANTNEST_NO_CACHE:-0}" != "1" ]; then
  mkdir -p .cache
  cache=(--cache --cache-location .cache/prettier)
  eslint_cache=(--cache --cache-strategy content --cache-location .cache/eslint)
  tsc_cache=(--incremental --tsBuildInfoFile .cache/tsc.tsbuildinfo)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin/prettier" --check "${cache[@]}" . >"$out/prettier" 2>&1 &
prettier=$!
"$bin/eslint" --max-warnings 0 "${eslint_cache[@]}" . >"$out/eslint" 2>&1 &
eslint=$!
"$bin/tsc" --noEmit "${tsc_cache[@]}" >"$out/tsc" 2>&1 &
tsc=$!
# The mini-program's own project (WeChat's typings, no DOM, no Node).
mp_cache=(); [ ${#tsc_cache[@]} -gt 0 ] && mp_cache=(--incremental --tsBuildInfoFile .cache/tsc-miniprogram.tsbuildinfo)
"$bin/tsc" -p miniprogram --noEmit "${mp_cache[@]}" >"$out/tsc_miniprogram" 2>&1 &
tsc_miniprogram=$!

status=0
for name in prettier eslint tsc tsc_miniprogram; do
  if ! wait "${!name}"; then
    status=1
    echo "--- $name failed:"
  fi
  cat "$out/$name"
done
exit "$status"
