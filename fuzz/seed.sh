#!/usr/bin/env bash
# Seeds the fuzz corpus (fuzz/corpus/pipeline, gitignored) with every manifest the repository
# ships: the diagnostic fixtures (each a different kind of broken input), the examples, and the
# inputs that once crashed the fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus/pipeline
mkdir -p "$corpus"
for dir in tests/fixtures/diagnostics tests/fixtures/fuzz-regressions examples; do
    [ -d "$dir" ] || continue
    find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | while read -r file; do
        cp "$file" "$corpus/seed-$(echo "$file" | tr '/' '_')"
    done
done
echo "seeded $(find "$corpus" -type f | wc -l) files into $corpus"
