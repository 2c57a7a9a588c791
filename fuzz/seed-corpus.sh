#!/usr/bin/env bash
# Regenerates the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from
# the authored rounds under tests/fixtures and what is generated from them
# (cassettes/, golden/). Never from ../shared/corpus: its text stays out of the
# repository and out of fuzzer inputs that could be committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
for t in review report cassette rules golden round; do
  mkdir -p "$out/$t"
done

seed() { # seed TARGET NAME < bytes
  cat > "$out/$1/seed-$2"
}

for f in tests/fixtures/rounds/*/*.md tests/fixtures/reviews/*.md; do
  case "$f" in */prompt.md | *.prompt.md | */README.md) continue ;; esac
  seed review "$(echo "$f" | tr '/' '_')" < "$f"
done
for f in tests/fixtures/reports/*.md golden/*.md; do
  seed report "$(basename "$f")" < "$f"
done
for f in cassettes/*.json; do
  seed cassette "$(basename "$f")" < "$f"
done
seed rules default_rules.toml < src/consolidate/default_rules.toml
for f in golden/*.md golden/*.json; do
  seed golden "$(basename "$f")" < "$f"
done
# round: round.json, claude.md, codex.md, gemini.md, prompt.md joined by NUL bytes
# (the order fuzz_targets/round.rs splits them in).
for d in tests/fixtures/rounds/*/; do
  name=$(basename "$d")
  {
    first=1
    for f in round.json claude.md codex.md gemini.md prompt.md; do
      [ "$first" = 1 ] || printf '\0'
      first=0
      if [ -f "$d$f" ]; then cat "$d$f"; fi
    done
  } | seed round "$name"
done
# Inputs that once crashed a target (fuzz/regressions/<target>/, committed):
# every run starts from them, so a crash that comes back fails at once.
for f in fuzz/regressions/*/*; do
  [ -f "$f" ] || continue
  t=$(basename "$(dirname "$f")")
  mkdir -p "$out/$t"
  cp "$f" "$out/$t/regression-$(basename "$f")"
done
for t in review report cassette rules golden round; do
  echo "$t: $(ls "$out/$t" | wc -l) inputs"
done
