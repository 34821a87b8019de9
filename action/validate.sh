#!/usr/bin/env bash
# First step of the imgcost action: validates every input (each bad one is an ::error:: naming
# the input, then the step fails), and computes where imgcost is installed and the cache key of
# a build from the action's own source (a hash of what is compiled into the binary).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

errors=0
bad() {
  annotate error "input \`$1\`: $2"
  errors=$((errors + 1))
}

# A git revision given to imgcost: no option-like or whitespace-containing values.
ref_pattern='^[A-Za-z0-9_@][A-Za-z0-9._/@{}~^+-]*$'

split_words "${INPUT_PATHS-.}"
if ((${#WORDS[@]} == 0)); then
  bad paths "give at least one file or folder (default: \`.\`)"
fi
for word in ${WORDS[@]+"${WORDS[@]}"}; do
  if [[ $word == -* ]]; then
    bad paths "\`$word\` looks like an option; paths must not start with \`-\` (write \`./$word\`)"
  fi
done

split_words "${INPUT_POLICY:-}"
for word in ${WORDS[@]+"${WORDS[@]}"}; do
  if [[ $word == -* ]]; then
    bad policy "\`$word\` looks like an option; policy files must not start with \`-\`"
  fi
done

if [[ -n ${INPUT_POLICY_REF:-} && ! $INPUT_POLICY_REF =~ $ref_pattern ]]; then
  bad policy-ref "\`$INPUT_POLICY_REF\` is not a git revision (a branch, tag or commit SHA)"
fi
if [[ -n ${INPUT_BASE_REF:-} && ! $INPUT_BASE_REF =~ $ref_pattern ]]; then
  bad base-ref "\`$INPUT_BASE_REF\` is not a git revision (a branch, tag or commit SHA)"
fi

case ${INPUT_COMMENT:-true} in
  true | false) ;;
  *) bad comment "\`${INPUT_COMMENT}\` is not \`true\` or \`false\`" ;;
esac

case ${INPUT_NEW_ONLY:-false} in
  true | false) ;;
  *) bad new-only "\`${INPUT_NEW_ONLY}\` is not \`true\` or \`false\`" ;;
esac

for threshold in comment-min-usd comment-min-percent; do
  variable=INPUT_$(tr 'a-z-' 'A-Z_' <<<"$threshold")
  value=${!variable:-}
  if [[ -n $value && ! $value =~ ^[0-9]{1,12}(\.[0-9]{1,4})?$ ]]; then
    bad "$threshold" "\`$value\` is not a number such as \`25\` or \`2.5\`"
  fi
done

case ${INPUT_FAIL_ON:-error} in
  error | warning | never) ;;
  *) bad fail-on "\`${INPUT_FAIL_ON}\` is not one of \`error\`, \`warning\`, \`never\`" ;;
esac

if [[ -n ${INPUT_VERSION:-} && $INPUT_VERSION != source &&
  ! $INPUT_VERSION =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  bad version "\`$INPUT_VERSION\` is not a release tag such as \`v0.1.0\`, or \`source\` (leave it empty for the release the action is pinned to)"
fi

if [[ -n ${INPUT_AS_OF:-} && ! $INPUT_AS_OF =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  bad as-of "\`$INPUT_AS_OF\` is not a date YYYY-MM-DD"
fi

if ((errors > 0)); then
  echo "imgcost: $errors bad input(s); see the errors above" >&2
  exit 1
fi

# Where a build from source goes, keyed by everything compiled into the binary: a changed rate
# card, policy or example (`imgcost init` writes the examples) must not reuse an old build. It is
# in this job's RUNNER_TEMP, filled only by actions/cache (whose entries GitHub scopes to the
# branch) or by the build: never a folder of the runner's tool cache, which every earlier job
# on a self-hosted runner could write.
action_path=${GITHUB_ACTION_PATH:-$(cd "$here/.." && pwd)}
hash=$(
  cd "$action_path"
  inputs=()
  for input in Cargo.toml Cargo.lock build.rs src schemas ratecards policies examples; do
    if [[ -e $input ]]; then inputs+=("$input"); fi
  done
  find "${inputs[@]}" -type f |
    LC_ALL=C sort |
    while IFS= read -r file; do
      printf '%s %s\n' "$(sha256_stdin <"$file")" "$file"
    done | sha256_stdin
)
hash=${hash:0:20}
os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
set_output root "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/imgcost-source-$hash"
set_output cache-key "imgcost-$os-$arch-$hash"
