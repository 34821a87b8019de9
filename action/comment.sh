#!/usr/bin/env bash
# Posts the pull request's imgcost comment, or updates the one posted before: the comment is
# found by the hidden marker on the body's first line (`<!-- imgcost:diff -->`) and by its
# author, the token's own account, through the gh CLI (`gh api`). When the token cannot write
# (fork pull requests get a read-only token: 403 or 404), or gh is missing or fails, the comment
# goes to the job summary instead. Never fails: commenting is a courtesy, the check's verdict is
# the step's exit status.
# Usage: IMGCOST_PR_NUMBER=N GITHUB_REPOSITORY=owner/repo GH_TOKEN=… comment.sh BODY.md
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

body=${1:?usage: comment.sh BODY.md}
pr=${IMGCOST_PR_NUMBER:-}
repo=${GITHUB_REPOSITORY:-}
# GitHub rejects comments over 65 536 characters; keep well under it.
COMMENT_LIMIT=60000

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/imgcost-comment.XXXXXX")

fallback() {
  # `fallback notice|warning REASON`: the comment goes to the job summary.
  annotate "$1" "the cost diff was not posted as a pull-request comment ($2); it is in the job summary"
  {
    printf '\n'
    cat "$body"
  } >"$work/summary.md"
  append_summary "$work/summary.md"
  exit 0
}

# Why gh failed, from its stderr: `forbidden` for the answers a read-only token gets.
classify() {
  if grep -Eq 'HTTP 40[34]|Resource not accessible|Not Found|must have (admin|push)' "$1"; then
    echo forbidden
  else
    echo failed
  fi
}

gh_failed() {
  # `gh_failed STDERR_FILE WHAT`
  if [[ $(classify "$1") == forbidden ]]; then
    fallback notice "the token cannot $2 on this pull request, as on pull requests from forks"
  fi
  fallback warning "gh api could not $2: $(tr '\n' ' ' <"$1" | cut -c1-300)"
}

# Whatever goes wrong below, the comment still reaches the summary and the step is not failed.
trap 'fallback warning "an unexpected error in comment.sh, line $LINENO"' ERR

[[ -s $body ]] || exit 0
[[ -n $pr && $pr =~ ^[0-9]+$ ]] || fallback warning "no pull request number in the event"
[[ -n $repo ]] || fallback warning "GITHUB_REPOSITORY is not set"
command -v gh >/dev/null 2>&1 || fallback warning "the gh CLI is not installed on this runner"
[[ -n ${GH_TOKEN:-${GITHUB_TOKEN:-}} ]] || fallback warning "no github-token"

export GH_PROMPT_DISABLED=1 GH_NO_UPDATE_NOTIFIER=1
gh_for_server

marker=$(head -n 1 "$body")
if [[ ! $marker =~ ^\<!--\ .*\ --\>$ ]]; then
  marker='<!-- imgcost:diff -->'
  { printf '%s\n' "$marker"; cat "$body"; } >"$work/marked.md"
  body=$work/marked.md
fi

# Keep the comment under GitHub's size limit; the whole report is in the job summary then.
text=$body
if (($(file_size "$body") > COMMENT_LIMIT)); then
  {
    head_bytes "$body" "$COMMENT_LIMIT"
    printf '\n\n_…truncated: the full cost diff is in the job summary of this run._\n'
  } >"$work/truncated.md"
  text=$work/truncated.md
  append_summary "$body"
fi
jq -n --rawfile body "$text" '{body: $body}' >"$work/payload.json"

if ! gh api --paginate "repos/$repo/issues/$pr/comments?per_page=100" >"$work/comments.json" 2>"$work/list.err"; then
  gh_failed "$work/list.err" "read the comments"
fi
# The comments that start with the marker, oldest first: `ID LOGIN` a line.
marked() {
  jq -rs --arg marker "$marker" '
    .[] | if type == "array" then .[] else . end
      | select((.body // "") | startswith($marker)) | "\(.id) \(.user.login // "")"
  ' "$work/comments.json" 2>/dev/null
}
# Anyone can post a comment that starts with the marker, and a token that can comment can edit
# others' comments too: only one written by this token's own account is updated, the latest.
# GraphQL's viewer answers for every kind of token: a person's login for a personal token, the
# app's name for an app's token (`github-actions` for the workflow's GITHUB_TOKEN), whose REST
# comments show `NAME[bot]`. When the login cannot be had, a new comment is posted rather than
# one edited that may be someone else's.
existing=""
candidates=$(marked) || candidates=""
if [[ -n $candidates ]]; then
  login=""
  if gh api graphql -f query='query{viewer{login}}' >"$work/viewer.json" 2>"$work/viewer.err"; then
    login=$(jq -r '.data.viewer.login // empty' "$work/viewer.json" 2>/dev/null) || login=""
  fi
  if [[ -z $login ]]; then
    echo "imgcost: could not tell which account the token belongs to ($(tr '\n' ' ' <"$work/viewer.err" | cut -c1-300)); posting a new comment instead of editing one another account may have written"
  else
    while read -r id author; do
      if [[ $author == "$login" || ($login != *"[bot]" && $author == "${login}[bot]") ]]; then
        existing=$id
      fi
    done <<<"$candidates"
    if [[ -z $existing ]]; then
      echo "imgcost: no comment with the marker was written by $login; posting a new one"
    fi
  fi
fi

if [[ -n $existing ]]; then
  if gh api --method PATCH "repos/$repo/issues/comments/$existing" --input "$work/payload.json" \
    >"$work/answer.json" 2>"$work/patch.err"; then
    echo "imgcost: updated the cost comment ($(jq -r '.html_url // empty' "$work/answer.json" 2>/dev/null))"
    exit 0
  fi
  echo "imgcost: could not update comment $existing ($(tr '\n' ' ' <"$work/patch.err")); posting a new one"
fi
if gh api --method POST "repos/$repo/issues/$pr/comments" --input "$work/payload.json" \
  >"$work/answer.json" 2>"$work/post.err"; then
  echo "imgcost: posted the cost comment ($(jq -r '.html_url // empty' "$work/answer.json" 2>/dev/null))"
  exit 0
fi
gh_failed "$work/post.err" "comment"
