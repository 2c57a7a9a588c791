#!/usr/bin/env bash
# Regenerates cassettes/*.json from the authored raw rounds in tests/fixtures/rounds/.
#
# This is the equivalent of
#   cargo run --release -- import --raw tests/fixtures/rounds/*/ --out cassettes --force
# Cassettes are never written by hand: edit a round directory, then run this script
# and review the diff of cassettes/.
#
# `--raw` is repeated once per directory because the CLI declares it as a plain
# `--raw <DIR>` option; a bare list after one `--raw` would be read as report files.
set -euo pipefail

cd "$(dirname "$0")/.."

args=()
for dir in tests/fixtures/rounds/*/; do
    [ -f "${dir}round.json" ] || continue
    args+=(--raw "${dir%/}")
done

if [ "${#args[@]}" -eq 0 ]; then
    echo "regen-cassettes: no round directories under tests/fixtures/rounds/" >&2
    exit 2
fi

cargo run --release --quiet -- import "${args[@]}" --out cassettes --force
