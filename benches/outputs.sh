#!/usr/bin/env bash
# Writes every output that performance work must keep byte-identical, so that two
# builds can be compared with `diff -r`:
#
#   benches/outputs.sh OLD_BINARY /tmp/before
#   benches/outputs.sh NEW_BINARY /tmp/after
#   diff -r /tmp/before /tmp/after        # must print nothing
#
# It replays the bundled cassettes (markdown, JSON, --rules-only, under the
# default rules and under a changed threshold), runs `check`, and parses every
# fixture review. When ../shared/corpus exists it also imports the corpus (with
# the first binary given, into $REVIEW_REPLAY_CORPUS_CASSETTES, default
# /tmp/review-replay-corpus) and replays, reproduces and evaluates it. When
# $REVIEW_REPLAY_SYNTH names a directory of blessed synthetic rounds
# (REVIEW_REPLAY_BENCH_KEEP=DIR cargo bench --bench check), it checks those too.
set -u
if [ $# -ne 2 ]; then
  echo "usage: benches/outputs.sh BINARY OUTPUT_DIR" >&2
  exit 2
fi
bin=$(realpath "$1")
out=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
# Canonical, so that two checkouts of the repository give the same bytes.
corpus=$(realpath -m "$repo/../shared/corpus")
cassettes=${REVIEW_REPLAY_CORPUS_CASSETTES:-/tmp/review-replay-corpus}
rules=$(mktemp -d)
trap 'rm -rf "$rules"' EXIT
rm -rf "$out"
mkdir -p "$out/replay" "$out/parse"
"$bin" rules > "$rules/default.toml"
sed 's/^threshold = 0.45/threshold = 0.35/' "$rules/default.toml" > "$rules/wider.toml"

inputs=("$repo"/cassettes/*.json)
if [ -d "$corpus" ]; then
  if [ ! -d "$cassettes" ]; then
    "$bin" import "$corpus"/*/*.md --out "$cassettes" > /dev/null 2>&1
  fi
  inputs+=("$cassettes"/*.json)
fi
for c in "${inputs[@]}"; do
  name=$(basename "$c" .json)
  for r in default wider; do
    "$bin" replay --rules "$rules/$r.toml" "$c" > "$out/replay/$name.$r.md" 2>&1
    "$bin" replay --format json --rules "$rules/$r.toml" "$c" > "$out/replay/$name.$r.json" 2>&1
    "$bin" replay --format json --rules-only --rules "$rules/$r.toml" "$c" \
      > "$out/replay/$name.$r.only.json" 2>&1
  done
done
(cd "$repo" && "$bin" check > "$out/check.txt" 2>&1)
# Relative paths: the reports name their file, and two checkouts of the
# repository must give the same bytes.
(cd "$repo" && find tests/fixtures -name '*.md' | sort) | while read -r f; do
  (cd "$repo" && "$bin" parse --format json "$f") > "$out/parse/$(echo "$f" | tr / _).json" 2>&1
done

if [ -d "$corpus" ]; then
  for f in "$corpus"/*/*.md; do
    "$bin" parse --format json "$f" > "$out/parse/corpus_$(basename "$f").json" 2>&1
  done
  for format in human json; do
    "$bin" reproduce "$cassettes" --format "$format" > "$out/reproduce.$format" 2>&1
    "$bin" reproduce "$cassettes" --format "$format" --calibration \
      > "$out/reproduce.calibration.$format" 2>&1
  done
  "$bin" reproduce "$cassettes" --calibration-rules > "$out/reproduce.calibration-rules" 2>&1
  for format in md json; do
    for only in "" --rules-only; do
      "$bin" eval "$cassettes" --rules-baseline "$rules/default.toml" \
        --rules-candidate "$rules/wider.toml" $only --format "$format" 2>&1 \
        | sed "s|$rules|RULES|g" > "$out/eval${only}.$format"
    done
  done
else
  echo "no $corpus: corpus outputs not written" >&2
fi

if [ -n "${REVIEW_REPLAY_SYNTH:-}" ]; then
  (cd "$REVIEW_REPLAY_SYNTH" && "$bin" check --golden golden cassettes > "$out/synthetic-check.txt" 2>&1)
fi
echo "$(find "$out" -type f | wc -l) files in $out"
