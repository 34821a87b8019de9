# shellcheck shell=bash
# Helpers shared by the action's scripts (sourced, never run): workflow commands with GitHub's
# escaping, step outputs, the job summary with its size limit, input splitting and hashing.
# Written for bash 3.2 too (macOS runners' /bin/bash): no namerefs, no mapfile.

# Escapes a workflow command's message as @actions/core's escapeData does.
escape_data() {
  local text=$1
  text=${text//\%/%25}
  text=${text//$'\r'/%0D}
  text=${text//$'\n'/%0A}
  printf '%s' "$text"
}

# Escapes a workflow command's property value as @actions/core's escapeProperty does.
escape_property() {
  local text
  text=$(escape_data "$1")
  text=${text//:/%3A}
  text=${text//,/%2C}
  printf '%s' "$text"
}

# Prints an annotation: `annotate error|warning|notice MESSAGE`, titled "imgcost".
annotate() {
  printf '::%s title=imgcost::%s\n' "$1" "$(escape_data "$2")"
}

# Writes a step output. Single-line values as `name=value`; anything with a line break in the
# multi-line form with a random delimiter, so that a value can never inject another output.
set_output() {
  local name=$1 value=$2 delimiter
  if [[ -z ${GITHUB_OUTPUT:-} ]]; then
    printf '%s=%s\n' "$name" "$value"
    return
  fi
  if [[ $value == *$'\n'* || $value == *$'\r'* ]]; then
    delimiter="ghadelimiter_$(random_hex)"
    printf '%s<<%s\n%s\n%s\n' "$name" "$delimiter" "$value" "$delimiter" >>"$GITHUB_OUTPUT"
  else
    printf '%s=%s\n' "$name" "$value" >>"$GITHUB_OUTPUT"
  fi
}

random_hex() {
  od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# Size of a file in bytes (0 when it does not exist).
file_size() {
  if [[ -f $1 ]]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}

# The first LIMIT bytes of FILE cut at the last whole line: `head_bytes FILE LIMIT`.
head_bytes() {
  head -c "$2" "$1" | sed '$d'
}

# GitHub shows at most 1 MiB of summary per step; a step that writes more gets its whole
# summary rejected. Everything this step appends is kept under that.
SUMMARY_LIMIT=1000000

# Appends a Markdown file to the job summary, cut to what is left of the step's limit.
append_summary() {
  local file=$1 used size room
  [[ -n ${GITHUB_STEP_SUMMARY:-} && -s $file ]] || return 0
  used=$(file_size "$GITHUB_STEP_SUMMARY")
  size=$(file_size "$file")
  room=$((SUMMARY_LIMIT - used - 200))
  if ((size <= room)); then
    cat "$file" >>"$GITHUB_STEP_SUMMARY"
  elif ((room > 1000)); then
    {
      head_bytes "$file" "$room"
      printf '\n\n_…truncated to fit the job summary; the JSON and SARIF reports have everything._\n'
    } >>"$GITHUB_STEP_SUMMARY"
  else
    annotate warning "the job summary is full; the imgcost report is not shown there"
    return 0
  fi
  printf '\n' >>"$GITHUB_STEP_SUMMARY"
}

# Splits a whitespace-separated input (spaces, tabs or newlines) into the array WORDS, without
# glob expansion.
split_words() {
  # shellcheck disable=SC2034 # WORDS is what the callers read
  WORDS=()
  local flat=${1//[$'\n\r\t']/ }
  # shellcheck disable=SC2034
  read -r -a WORDS <<<"$flat" || true
}

# SHA-256 of standard input, hex.
sha256_stdin() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum | cut -d' ' -f1
  else
    shasum -a 256 | cut -d' ' -f1
  fi
}

# A field of the event's `.pull_request` (`event_pull_request_field .base.sha`), or nothing when
# the event is not about a pull request.
event_pull_request_field() {
  [[ -n ${GITHUB_EVENT_PATH:-} && -f $GITHUB_EVENT_PATH ]] || return 0
  jq -r "(.pull_request // {}) | $1 // empty | tostring" "$GITHUB_EVENT_PATH" 2>/dev/null || true
}

# The host of the GitHub server the workflow runs on, from GITHUB_SERVER_URL (`github.com`, or a
# GitHub Enterprise Server's host): the server gh must ask, the one git and curl use. GitHub's
# server URLs are `https://HOST`; anything else counts as github.com.
server_host() {
  local url=${GITHUB_SERVER_URL:-https://github.com} host
  host=${url#https://}
  host=${host%/}
  if [[ $host == "$url" || ! $host =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]]; then
    host=github.com
  fi
  printf '%s' "$host"
}

# Points gh at the workflow's server: GH_HOST, and on GitHub Enterprise Server the token in
# GH_ENTERPRISE_TOKEN, where gh reads it for such hosts. Otherwise gh asks github.com, which
# would answer for whoever owns the same `owner/name` there, and get the token.
gh_for_server() {
  GH_HOST=$(server_host)
  export GH_HOST
  if [[ $GH_HOST != github.com ]]; then
    GH_ENTERPRISE_TOKEN=${GH_TOKEN:-${GITHUB_TOKEN:-}}
    export GH_ENTERPRISE_TOKEN
  fi
}
