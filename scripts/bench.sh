#!/usr/bin/env bash
# Whole-process benchmark of `imgcost check` at monorepo scale (docs/performance.md), compared with
# ajv-cli's schema-only validation of the same files. Not part of `cargo test` or `.ci/run`.
#
#   scripts/bench.sh            # build, generate corpora in a temp dir, measure, print a table
#   scripts/bench.sh --no-ajv   # skip the ajv-cli comparison (no node/npm needed)
#   scripts/bench.sh --keep     # keep the temp dir (corpora, hyperfine JSON) and print its path
#
# Prerequisites (Debian): cargo, git, python3 (3.11+), `apt-get install -y hyperfine time`, and
# for the comparison `apt-get install -y nodejs npm` with access to the npm registry
# (ajv-cli@5.0.0 and ajv-formats@2.1.1 are installed into the temp dir, never into the repository).
#
# Measures, with `--format json --as-of 2026-11-25` and the output discarded: `imgcost check` on
# one manifest, on 1 000 and on 10 000 manifests of 5 workflows each (hyperfine); the peak memory
# of the 10k run (/usr/bin/time); ajv-cli on the same 1k and 10k files; and `imgcost diff --base
# HEAD` against `check` on the 10k corpus made a git repository with 1 % of its manifests changed
# (volumes divided by ten, so that no budget breaks). Run it on an otherwise idle machine: the load
# average is printed before each step.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
AS_OF=2026-11-25
WITH_AJV=1
KEEP=0
for arg in "$@"; do
    case "$arg" in
        --no-ajv) WITH_AJV=0 ;;
        --keep) KEEP=1 ;;
        *) echo "usage: scripts/bench.sh [--no-ajv] [--keep]" >&2; exit 2 ;;
    esac
done

missing=()
command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
command -v python3 >/dev/null || missing+=("python3: apt-get install -y python3")
command -v git >/dev/null || missing+=("git: apt-get install -y git")
command -v hyperfine >/dev/null || missing+=("hyperfine: apt-get install -y hyperfine")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time: apt-get install -y time")
if [ "$WITH_AJV" = 1 ] && ! command -v npm >/dev/null; then
    missing+=("npm (for the ajv-cli comparison; or pass --no-ajv): apt-get install -y nodejs npm")
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "scripts/bench.sh needs:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
fi

WORK=$(mktemp -d -t imgcost-bench.XXXXXX)
if [ "$KEEP" = 1 ]; then
    echo "keeping $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

load() { uptime | sed 's/.*load average: /load average: /'; }
echo "--- machine: $(nproc) cores; $(load)"
echo "--- build (release)"
cargo build --release --locked --quiet
BIN="$REPO/target/release/imgcost"

echo "--- corpora"
python3 scripts/gen_corpus.py "$WORK/one" --count 1
python3 scripts/gen_corpus.py "$WORK/c1k" --count 1000
python3 scripts/gen_corpus.py "$WORK/c10k" --count 10000
cd "$WORK"
for corpus in one c1k c10k; do
    if ! "$BIN" check "$corpus" --format json --as-of "$AS_OF" >"$corpus.report.json"; then
        echo "imgcost check $corpus did not pass; see $corpus.report.json (run with --keep)" >&2
        exit 1
    fi
done

# hyperfine -N splits its command like a shell (quotes respected) and runs it without one.
check_cmd() { echo "'$BIN' check $1 --format json --as-of $AS_OF"; }

echo "--- imgcost check (hyperfine); $(load)"
hyperfine -N --style basic --warmup 5 --runs 50 --export-json one.json "$(check_cmd one)"
hyperfine -N --style basic --warmup 3 --runs 20 --export-json c1k.json "$(check_cmd c1k)"
hyperfine -N --style basic --warmup 1 --runs 10 --export-json c10k.json "$(check_cmd c10k)"

echo "--- peak memory (/usr/bin/time, 3 runs of 10k); $(load)"
for run in 1 2 3; do
    /usr/bin/time -f '%M' -o "rss.$run" "$BIN" check c10k --format json --as-of "$AS_OF" >/dev/null
done

AJV_1K="" AJV_10K=""
if [ "$WITH_AJV" = 1 ]; then
    echo "--- ajv-cli (installed into $WORK/node); $(load)"
    npm install --prefix "$WORK/node" --no-audit --no-fund --silent ajv-cli@5.0.0 ajv-formats@2.1.1
    AJV="node '$WORK/node/node_modules/ajv-cli/dist/index.js'"
    # Same files as imgcost finds: everything but the .gitignore'd node_modules/ and dist/.
    ajv_cmd() {
        echo "$AJV validate --spec=draft2020 --strict=false -c ajv-formats" \
            "-s '$REPO/schemas/manifest.schema.json'" \
            "-d '$1/!(node_modules|dist)/**/{imgcost,*.imgcost}.{yaml,yml}'"
    }
    for corpus in c1k c10k; do
        expected=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["manifests"])' \
            "$corpus.report.json")
        valid=$(eval "$(ajv_cmd "$corpus")" | grep -c ' valid$' || true)
        if [ "$valid" != "$expected" ]; then
            echo "ajv-cli validated $valid files of $corpus, expected $expected" >&2
            exit 1
        fi
    done
    hyperfine -N --style basic --warmup 1 --runs 10 --export-json ajv1k.json "$(ajv_cmd c1k)"
    hyperfine -N --style basic --warmup 1 --runs 3 --export-json ajv10k.json "$(ajv_cmd c10k)"
    AJV_1K=ajv1k.json AJV_10K=ajv10k.json
fi

echo "--- diff --base HEAD against check, 10k corpus with 1 % of manifests changed; $(load)"
(
    cd c10k
    git init -q
    git add -A
    git -c user.name=imgcost-bench -c user.email=bench@imgcost.invalid -c commit.gpgsign=false \
        commit -q --no-verify -m base
    git ls-files '*imgcost.yaml' '*imgcost.yml' | awk 'NR % 100 == 0' |
        xargs -r sed -i 's/requests_per_month: \([0-9]*\)[0-9]/requests_per_month: \1/'
    hyperfine -N --style basic --warmup 1 --runs 10 --export-json ../diff.json \
        "'$BIN' check . --format json --as-of $AS_OF" \
        "'$BIN' diff --base HEAD . --format json --as-of $AS_OF"
)

echo "--- done; $(load)"
echo
python3 - "$AJV_1K" "$AJV_10K" <<'EOF'
import json
import sys

def mean(name, index=0):
    result = json.load(open(name))["results"][index]
    return result["mean"], result["stddev"] or 0.0

def seconds(value):
    return f"{value * 1000:8.1f} ms"

one, c1k, c10k = mean("one.json"), mean("c1k.json"), mean("c10k.json")
rss_mb = max(int(open(f"rss.{run}").read().split()[-1]) for run in (1, 2, 3)) / 1024
rows = [
    ("1 manifest", one, "< 10 ms", one[0] < 0.010),
    ("1 000 manifests", c1k, "", None),
    ("10 000 manifests", c10k, "< 1 s", c10k[0] < 1.0),
]
print(f"{'imgcost check --format json':28} {'mean':>11} {'± sd':>11}  {'target':10} ok")
for label, (m, sd), target, ok in rows:
    mark = "" if ok is None else ("yes" if ok else "NO")
    print(f"{label:28} {seconds(m)} {seconds(sd)}  {target:10} {mark}")
print(f"{'peak memory, 10k':28} {rss_mb:8.1f} MB {'':11}  {'< 200 MB':10} "
      f"{'yes' if rss_mb < 200 else 'NO'}")
ratio = c10k[0] / c1k[0]
print(f"{'10k / 1k time':28} {ratio:10.2f}x {'':11}  {'~10 (linear)':10}")
per_1k, per_10k = c1k[0] / 1000 * 1e6, c10k[0] / 10000 * 1e6
print(f"{'per manifest, 1k / 10k':28} {per_1k:7.0f} µs / {per_10k:.0f} µs")
in_repo, diff = mean("diff.json", 0), mean("diff.json", 1)
print(f"{'diff --base HEAD, 10k':28} {seconds(diff[0])} {seconds(diff[1])}  {'< 2x check':10} "
      f"{diff[0] / in_repo[0]:.2f}x {'yes' if diff[0] < 2 * in_repo[0] else 'NO'}")
# CPU time varies less than wall time with the host's load: the ratio to read on a busy machine.
cpu = [sum(json.load(open("diff.json"))["results"][i][k] for k in ("user", "system")) for i in (0, 1)]
print(f"{'diff / check, CPU time':28} {cpu[1]:9.2f} s / {cpu[0]:.2f} s = {cpu[1] / cpu[0]:.2f}x")
if sys.argv[1]:
    a1k, a10k = mean(sys.argv[1]), mean(sys.argv[2])
    print(f"{'ajv-cli, 1 000 manifests':28} {seconds(a1k[0])} {seconds(a1k[1])}  "
          f"{'':10} imgcost {a1k[0] / c1k[0]:.1f}x faster")
    speedup = a10k[0] / c10k[0]
    print(f"{'ajv-cli, 10 000 manifests':28} {seconds(a10k[0])} {seconds(a10k[1])}  "
          f"{'≥ 3x':10} imgcost {speedup:.1f}x faster {'yes' if speedup >= 3 else 'NO'}")
EOF
