#!/usr/bin/env bash
# Whole-process benchmark of imgcost at monorepo scale (docs/performance.md, issue 19's goals),
# compared with ajv-cli's schema-only validation of the same files. Not part of `cargo test` or
# `.ci/run`.
#
#   scripts/bench.sh               # build, generate corpora in a temp dir, measure, print a table
#   scripts/bench.sh --no-ajv      # skip the ajv-cli comparison (no node/npm needed)
#   scripts/bench.sh --keep        # keep the temp dir (corpora, measurements) and print its path
#   scripts/bench.sh --100k        # also 100 000 manifests (slow: minutes, and about 1 GB of disk)
#   scripts/bench.sh --bin PATH    # measure this binary instead of building one
#   scripts/bench.sh --rounds N    # interleaved rounds (default 5; medians are printed)
#
# Prerequisites (Debian): cargo, git, python3 (3.11+), `apt-get install -y time`, and for the comparison `apt-get install -y
# nodejs npm` with access to the npm registry. ajv-cli 5.0.0 and ajv-formats 2.1.1 are installed
# the way `.ci/run` installs its tools: pinned, into a folder of the CI cache
# (`$IMGCOST_CI_CACHE`, else `$XDG_CACHE_HOME/imgcost-ci`, else `~/.cache/imgcost-ci`) named after
# the pins, kept between runs, never into the repository.
#
# Every command runs with its output discarded; each figure is the median of the rounds, the
# commands of a group interleaved round by round so that a change in the machine's load falls on
# all of them alike. Wall time, CPU time (user + system, from wait4) and peak memory (the largest
# resident set, from /usr/bin/time) come from the same runs. The load average is printed beside each group: on a
# shared machine read wall times with it, and prefer the CPU ratios.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
WITH_AJV=1
KEEP=0
WITH_100K=0
BIN=""
ROUNDS=5
while [ $# -gt 0 ]; do
    case "$1" in
        --no-ajv) WITH_AJV=0 ;;
        --keep) KEEP=1 ;;
        --100k) WITH_100K=1 ;;
        --bin) BIN=$(realpath "$2"); shift ;;
        --rounds) ROUNDS=$2; shift ;;
        *) echo "usage: scripts/bench.sh [--no-ajv] [--keep] [--100k] [--bin PATH] [--rounds N]" >&2
           exit 2 ;;
    esac
    shift
done

missing=()
[ -n "$BIN" ] || command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
command -v python3 >/dev/null || missing+=("python3: apt-get install -y python3")
command -v git >/dev/null || missing+=("git: apt-get install -y git")
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

echo "--- machine: $(nproc) cores; $(uptime | sed 's/.*load average: /load average: /')"
if [ -z "$BIN" ]; then
    echo "--- build (release)"
    cargo build --release --locked --quiet
    BIN="$REPO/target/release/imgcost"
fi

AJV=""
if [ "$WITH_AJV" = 1 ]; then
    # As .ci/run: a folder of the CI cache named after the pins, installed once.
    cache=${IMGCOST_CI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/imgcost-ci}
    ajv=$cache/ajv-cli-5.0.0-ajv-formats-2.1.1
    if [[ ! -f $ajv/node_modules/ajv-cli/package.json || ! -f $ajv/node_modules/ajv-formats/package.json ]]; then
        echo "--- ajv-cli (npm: ajv-cli@5.0.0 ajv-formats@2.1.1, into $ajv)"
        mkdir -p "$cache"
        npm install --prefix "$ajv" --silent --no-audit --no-fund ajv-cli@5.0.0 ajv-formats@2.1.1 >/dev/null
    fi
    AJV=$ajv/node_modules/ajv-cli/dist/index.js
fi

echo "--- corpora"
python3 scripts/gen_corpus.py "$WORK/one" --count 1
python3 scripts/gen_corpus.py "$WORK/c1k" --count 1000
python3 scripts/gen_corpus.py "$WORK/c10k" --count 10000
if [ "$WITH_100K" = 1 ]; then
    python3 scripts/gen_corpus.py "$WORK/c100k" --count 100000
fi

# The diff corpus: the 10k one made a git repository, with every hundredth manifest's volume
# divided by ten (so that no budget breaks); the baseline is the report of the commit.
cp -a "$WORK/c10k" "$WORK/d10k"
(
    cd "$WORK/d10k"
    git init -q
    git add -A
    git -c user.name=imgcost-bench -c user.email=bench@imgcost.invalid -c commit.gpgsign=false \
        commit -q --no-verify -m base
    "$BIN" check . --format json --as-of 2026-11-25 >"$WORK/baseline.json"
    git ls-files '*imgcost.yaml' '*imgcost.yml' | awk 'NR % 100 == 0' |
        xargs -r sed -i 's/requests_per_month: \([0-9]*\)[0-9]/requests_per_month: \1/'
)

python3 - "$BIN" "$WORK" "$REPO" "$AJV" "$ROUNDS" "$WITH_100K" <<'EOF'
import json
import os
import statistics
import subprocess
import sys
import time

BIN, WORK, REPO, AJV, ROUNDS, WITH_100K = sys.argv[1:]
ROUNDS, WITH_100K = int(ROUNDS), WITH_100K == "1"
AS_OF = "2026-11-25"
FORMATS = ["json", "human", "sarif", "github", "markdown", "junit"]


def load():
    return os.getloadavg()[0]


def run(argv, cwd):
    """One run: (wall s, CPU s, peak KiB). The output is discarded; a failure stops the bench."""
    with open(f"{WORK}/stderr", "w+b") as stderr:
        start = time.perf_counter()
        # The peak from /usr/bin/time, a small process: a child forked from this one would
        # report this script's own peak (Linux keeps the largest resident set across exec).
        timed = ["/usr/bin/time", "-f", "%M", "-o", f"{WORK}/peak", *argv]
        child = subprocess.Popen(timed, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            stderr.seek(0)
            sys.exit(f"exit {child.returncode}: {' '.join(argv)}\n{stderr.read().decode()}")
    with open(f"{WORK}/peak") as peak:
        return wall, usage.ru_utime + usage.ru_stime, int(peak.read().split()[-1])


def group(title, commands, rounds, cwd=WORK):
    """Runs `commands` (name -> argv) interleaved for `rounds` rounds after one warm-up round;
    returns name -> (median wall, median CPU, largest peak KiB)."""
    print(f"--- {title}: {rounds} rounds; load average {load():.2f}", flush=True)
    for argv in commands.values():
        run(argv, cwd)
    samples = {name: [] for name in commands}
    loads = []
    for _ in range(rounds):
        loads.append(load())
        for name, argv in commands.items():
            samples[name].append(run(argv, cwd))
    result = {}
    for name, runs in samples.items():
        result[name] = (
            statistics.median(r[0] for r in runs),
            statistics.median(r[1] for r in runs),
            max(r[2] for r in runs),
        )
    LOADS[title] = (min(loads), max(loads))
    return result


def check(corpus, fmt="json"):
    return [BIN, "check", corpus, "--format", fmt, "--as-of", AS_OF, "--color", "never"]


def ajv(corpus):
    # The same files imgcost finds: everything but the .gitignore'd node_modules/ and dist/.
    # ajv-cli expands the glob itself.
    return ["node", AJV, "validate", "--spec=draft2020", "--strict=false", "-c", "ajv-formats",
            "-s", f"{REPO}/schemas/manifest.schema.json",
            "-d", f"{corpus}/!(node_modules|dist)/**/{{imgcost,*.imgcost}}.{{yaml,yml}}"]


LOADS = {}
if AJV:
    # ajv-cli must see exactly the manifests imgcost finds.
    for corpus in ("c1k", "c10k"):
        report = subprocess.run(check(corpus), cwd=WORK, capture_output=True, check=True)
        expected = json.loads(report.stdout)["summary"]["manifests"]
        listed = subprocess.run(ajv(corpus), cwd=WORK, capture_output=True, check=True)
        valid = sum(line.endswith(b" valid") for line in listed.stdout.splitlines())
        if valid != expected:
            sys.exit(f"ajv-cli validated {valid} files of {corpus}, expected {expected}")

one = group("one manifest", {"one": check("one")}, max(ROUNDS * 6, 20))
scale = {"1k": check("c1k"), "10k": check("c10k")}
if AJV:
    scale["ajv 1k"] = ajv("c1k")
    scale["ajv 10k"] = ajv("c10k")
scale = group("check --format json against ajv-cli", scale, ROUNDS)
formats = {}
for fmt in FORMATS:
    formats[f"{fmt} 1k"] = check("c1k", fmt)
    formats[f"{fmt} 10k"] = check("c10k", fmt)
formats = group("every format, 1k and 10k", formats, ROUNDS)
diff = group("diff against check, 10k in git, 1 % of manifests changed", {
    "check": check("."),
    "diff --base": [BIN, "diff", "--base", "HEAD", ".", "--format", "json", "--as-of", AS_OF],
    "diff --baseline": [BIN, "diff", "--baseline", f"{WORK}/baseline.json", ".", "--format",
                        "json", "--as-of", AS_OF],
}, ROUNDS, cwd=f"{WORK}/d10k")
big = None
if WITH_100K:
    big = group("100k", {"100k": check("c100k")}, 1)["100k"]

MIB = 1024


def ok(met):
    return "yes" if met else "NO"


rows = []


def row(figure, value, goal="", met=None):
    rows.append((figure, value, goal, "" if met is None else ok(met)))


def triple(m):
    return f"{m[0] * 1000:.0f} ms, {m[1] * 1000:.0f} ms CPU, {m[2] / MIB:.1f} MiB"


row("check, 1 manifest (wall)", f"{one['one'][0] * 1000:.1f} ms", "≤ 10 ms", one["one"][0] <= 0.010)
c1k, c10k = scale["1k"], scale["10k"]
row("check 1k: wall, CPU, peak", triple(c1k))
row("check 10k: wall, CPU, peak", triple(c10k))
if AJV:
    a10k = scale["ajv 10k"]
    row("ajv-cli 10k: wall, CPU, peak", triple(a10k))
    row("ajv-cli / check, 10k wall", f"{a10k[0] / c10k[0]:.2f}x", "≥ 3x", a10k[0] / c10k[0] >= 3)
    row("ajv-cli / check, 10k CPU", f"{a10k[1] / c10k[1]:.2f}x", "≥ 2.5x", a10k[1] / c10k[1] >= 2.5)
    a1k = scale["ajv 1k"]
    row("ajv-cli / check, 1k wall, CPU", f"{a1k[0] / c1k[0]:.2f}x, {a1k[1] / c1k[1]:.2f}x")
for fmt in FORMATS:
    small, large = formats[f"{fmt} 1k"], formats[f"{fmt} 10k"]
    per = (large[2] - small[2]) / 9000
    base = (small[2] - 1000 * per) / MIB
    row(f"--format {fmt}: peak 10k; per manifest (1k to 10k), base",
        f"{large[2] / MIB:.1f} MiB; {per:.2f} KiB, {base:.1f} MiB",
        "≤ 80 MiB; ≤ 6 KiB", large[2] <= 80 * MIB and per <= 6)
human, js = formats["human 10k"], formats["json 10k"]
row("--format human / json, 10k CPU", f"{human[1] / js[1]:.2f}x", "≤ 1.5x", human[1] / js[1] <= 1.5)
for name in ("diff --base", "diff --baseline"):
    d, c = diff[name], diff["check"]
    ratios = (d[0] / c[0], d[1] / c[1], d[2] / c[2])
    row(f"{name} / check, 10k: wall, CPU, peak", ", ".join(f"{r:.2f}x" for r in ratios),
        "≤ 1.5x", max(ratios) <= 1.5)
row("diff 10k: check; --base; --baseline",
    "; ".join(triple(diff[n]) for n in ("check", "diff --base", "diff --baseline")))
row("10k / 1k: wall, CPU", f"{c10k[0] / c1k[0]:.2f}x, {c10k[1] / c1k[1]:.2f}x", "~10 (linear)")
if big:
    row("check 100k: wall, CPU, peak (1 run)", triple(big))
    row("100k / 10k: wall, CPU, peak", f"{big[0] / c10k[0]:.2f}x, {big[1] / c10k[1]:.2f}x, "
        f"{big[2] / c10k[2]:.2f}x", "~10; ≤ 650 MiB", big[2] <= 650 * MIB)

print()
print("load average (1 min) during each group: " +
      "; ".join(f"{title} {lo:.1f} to {hi:.1f}" for title, (lo, hi) in LOADS.items()))
width = max(len(r[0]) for r in rows)
vwidth = min(max(len(r[1]) for r in rows), 48)
for figure, value, goal, met in rows:
    print(f"{figure:{width}}  {value:{vwidth}}  {goal:18} {met}".rstrip())
EOF
