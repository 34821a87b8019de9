#!/usr/bin/env bash
# The imgcost action's main step: runs `imgcost check` once (annotations on stdout, the job
# summary, the SARIF and JSON reports), then, given a base (the pull request's base commit or
# the `base-ref` input), `imgcost diff` against it and the sticky pull-request comment. Writes
# the outputs `monthly-usd`, `delta-usd`, `report` and `sarif` before deciding the exit status
# from `fail-on`: findings fail the step unless `fail-on: never`; a run that failed (exit 2)
# always does.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

if [[ -n ${IMGCOST_ROOT:-} && -d $IMGCOST_ROOT/bin ]]; then
  PATH="$IMGCOST_ROOT/bin:$PATH"
  if [[ -n ${GITHUB_PATH:-} ]]; then
    # Later steps of the job can run imgcost too (e.g. `imgcost explain`).
    printf '%s\n' "$IMGCOST_ROOT/bin" >>"$GITHUB_PATH"
  fi
fi
for tool in imgcost jq git; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    annotate error "\`$tool\` is not on PATH; the imgcost action needs it"
    exit 2
  fi
done

fail_on=${INPUT_FAIL_ON:-error}
comment=${INPUT_COMMENT:-true}

split_words "${INPUT_PATHS:-.}"
paths=(${WORDS[@]+"${WORDS[@]}"})
if ((${#paths[@]} == 0)); then paths=(.); fi
options=()
split_words "${INPUT_POLICY:-}"
policy_files=()
for policy in ${WORDS[@]+"${WORDS[@]}"}; do
  options+=(--policy "$policy")
  policy_files+=("$policy")
done
if [[ -n ${INPUT_AS_OF:-} ]]; then
  options+=(--as-of "$INPUT_AS_OF")
fi
if [[ $fail_on == warning ]]; then
  options+=(--deny-warnings)
fi

# Makes sure a revision is in the (often shallow) clone: fetches just that commit from origin.
# A commit SHA is fetched as it is, `origin/NAME` into its remote-tracking branch.
ensure_revision() {
  local revision=$1 refspec
  if git rev-parse --verify --quiet "$revision^{commit}" >/dev/null; then
    return 0
  fi
  case $revision in
    origin/*) refspec="+refs/heads/${revision#origin/}:refs/remotes/$revision" ;;
    *) refspec=$revision ;;
  esac
  echo "::group::git fetch $revision"
  git fetch --no-tags --depth=1 origin "$refspec" || true
  echo "::endgroup::"
  if ! git rev-parse --verify --quiet "$revision^{commit}" >/dev/null; then
    annotate warning "\`$revision\` is not in the clone and could not be fetched from origin: give a commit SHA or \`origin/BRANCH\`, or check out with \`fetch-depth: 0\`"
  fi
}

pr_number=$(event_pull_request_field .number)
base=${INPUT_BASE_REF:-}
if [[ -z $base ]]; then
  base=$(event_pull_request_field .base.sha)
fi
if [[ -z $base && -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]]; then
  # A merge queue's group: compare with the commit it is built on (no comment to post).
  base=$(jq -r '.merge_group.base_sha // empty' "$GITHUB_EVENT_PATH" 2>/dev/null || true)
fi

# A change is judged by the policies it started from: by default, those of the base it is
# compared with (on pushes, the working tree's). `policy-ref: HEAD` opts into the change's own.
policy_ref=${INPUT_POLICY_REF:-$base}
if [[ -n $policy_ref ]]; then
  ensure_revision "$policy_ref"
  options+=(--policy-ref "$policy_ref")
fi

out=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/imgcost.XXXXXX")
report=$out/imgcost.json
sarif=$out/imgcost.sarif
summary=$out/summary.md

# --- check: once, every report from the same run --------------------------------------------
# `new-only: true` fails only on what the change introduces: findings the base has too are
# notes. Without a base (a push) every finding counts.
check_options=()
if [[ ${INPUT_NEW_ONLY:-false} == true ]]; then
  if [[ -n $base ]]; then
    ensure_revision "$base"
    check_options+=(--new-only --base "$base")
  else
    echo "imgcost: new-only: no base to compare with on this event; every finding counts"
  fi
fi
check_status=0
imgcost check --format github \
  --output "json=$report" --output "sarif=$sarif" --output "markdown=$summary" \
  ${options[@]+"${options[@]}"} ${check_options[@]+"${check_options[@]}"} \
  -- "${paths[@]}" || check_status=$?
if ((check_status > 1)); then check_status=2; fi
append_summary "$summary"

monthly=""
if [[ -s $report ]]; then
  monthly=$(jq -r '.summary.monthly_usd // empty' "$report")
fi

# Whether the pull request's comment is worth posting or updating: when the diff's verdict fails
# (its findings matter whatever the figures), or when the change moves the total by at least
# `comment-min-usd` or `comment-min-percent` (either, when both are set; any change when neither
# is), or, with no threshold, when it touches a manifest, a policy file or a rate card. Prints why
# not, and returns 1, otherwise: the existing comment is left alone.
comment_needed() {
  if ((diff_status == 1)); then return 0; fi
  local delta_usd delta_percent min_usd=${INPUT_COMMENT_MIN_USD:-} min_percent=${INPUT_COMMENT_MIN_PERCENT:-}
  delta_usd=$(jq -r '.diff.delta_usd // "0"' "$diff_json" 2>/dev/null || echo 0)
  delta_percent=$(jq -r '.diff.delta_percent // empty' "$diff_json" 2>/dev/null || true)
  local moved
  moved=$(jq -r '[.diff.workflows[]? | select(.status != "unchanged")] | length' "$diff_json" 2>/dev/null || echo 0)
  if [[ -n $min_usd || -n $min_percent ]]; then
    # jq compares as doubles: exact enough for amounts in cents and percents to 0.1.
    if jq -en --arg d "$delta_usd" --arg p "$delta_percent" --arg mu "$min_usd" --arg mp "$min_percent" '
        def abs: if . < 0 then -. else . end;
        (($mu != "") and (($d | tonumber | abs) >= ($mu | tonumber)))
        or (($mp != "") and ($p != "") and (($p | tonumber | abs) >= ($mp | tonumber)))
      ' >/dev/null; then
      return 0
    fi
    echo "the monthly change of \$$delta_usd is under comment-min-usd/comment-min-percent"
    return 1
  fi
  if [[ $delta_usd != "0" && $delta_usd != "0.00" ]] || ((moved > 0)); then return 0; fi
  local touched
  touched=$(git diff --name-only "$base" HEAD -- 2>/dev/null |
    grep -E '(^|/)(imgcost\.ya?ml|[^/]*\.imgcost\.ya?ml)$|^\.imgcost/|(^|/)[^/]*ratecard[^/]*\.ya?ml$' || true)
  for policy in ${policy_files[@]+"${policy_files[@]}"}; do
    if git diff --quiet "$base" HEAD -- "$policy" 2>/dev/null; then :; else touched+=$'\n'$policy; fi
  done
  if [[ -n ${touched//$'\n'/} ]]; then return 0; fi
  echo "the change touches no manifest, policy or rate card and moves no figure"
  return 1
}

# --- diff against the base, and the pull-request comment -------------------------------------
diff_status=0
delta=""
if [[ -n $base && $check_status -ne 2 ]]; then
  ensure_revision "$base"
  diff_json=$out/diff.json
  diff_md=$out/diff.md
  # The comment links each finding to its line at the pull request's head commit.
  diff_options=()
  if ((${#check_options[@]} > 0)); then
    diff_options+=(--new-only)
  fi
  head_sha=$(event_pull_request_field .head.sha)
  if [[ $head_sha =~ ^[0-9a-f]{40}$ ]]; then
    diff_options+=(--head-commit "$head_sha")
  fi
  imgcost diff --base "$base" --format markdown --output "json=$diff_json" \
    ${options[@]+"${options[@]}"} ${diff_options[@]+"${diff_options[@]}"} \
    -- "${paths[@]}" >"$diff_md" || diff_status=$?
  if ((diff_status > 1)); then diff_status=2; fi
  if [[ $diff_status -eq 2 ]]; then
    annotate error "imgcost diff against \`$base\` failed to run; see its message in the log"
  fi
  if [[ -s $diff_json ]]; then
    delta=$(jq -r '.diff.delta_usd // empty' "$diff_json")
    # `check` already annotated the head's findings; annotate the diff's own gates (IC5xx).
    jq -r '
      def data: gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A");
      def prop: data | gsub(":"; "%3A") | gsub(","; "%2C");
      .diagnostics[]?
      | select((.rule // "") | startswith("IC5"))
      | (if .exempted != null then "notice" elif .severity == "error" then "error"
         elif .severity == "warning" then "warning" else "notice" end) as $command
      | [ (if .file then "file=\(.file | prop)" else empty end),
          (if .line then "line=\(.line)" else empty end),
          (if .column then "col=\(.column)" else empty end),
          (if .end_line then "endLine=\(.end_line)" else empty end),
          (if .end_column then "endColumn=\(.end_column)" else empty end),
          "title=\(.rule | prop)" ] as $properties
      | "::\($command) \($properties | join(","))::\(.message | data)"
    ' "$diff_json"
  fi
  if [[ $diff_status -ne 2 && -s $diff_md ]]; then
    if [[ -n $pr_number && $comment == true ]] && ! quiet_reason=$(comment_needed); then
      echo "imgcost: no pull-request comment ($quiet_reason); the cost diff is in the job summary"
      append_summary "$diff_md"
    elif [[ -n $pr_number && $comment == true ]]; then
      IMGCOST_PR_NUMBER=$pr_number bash "$here/comment.sh" "$diff_md" || true
    else
      append_summary "$diff_md"
    fi
  fi
fi

# --- outputs, then the verdict ----------------------------------------------------------------
set_output monthly-usd "$monthly"
set_output delta-usd "$delta"
if [[ -s $report ]]; then set_output report "$report"; else set_output report ""; fi
if [[ -s $sarif ]]; then set_output sarif "$sarif"; else set_output sarif ""; fi

if [[ $check_status -eq 2 || $diff_status -eq 2 ]]; then
  if [[ $check_status -eq 2 ]]; then
    annotate error "imgcost check failed to run (exit 2); see its message in the log"
  fi
  exit 2
fi
if [[ $check_status -ne 0 || $diff_status -ne 0 ]]; then
  case $fail_on in
    never)
      echo "imgcost: findings reported, not failing the step (fail-on: never)"
      exit 0
      ;;
    warning) echo "imgcost: failing the step: findings of error or warning severity (fail-on: warning)" ;;
    *) echo "imgcost: failing the step: findings of error severity (fail-on: error)" ;;
  esac
  exit 1
fi
echo "imgcost: passed"
