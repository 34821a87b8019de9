#!/usr/bin/env bash
# Installs imgcost for the action. `install.sh release`: downloads the prebuilt archive of the
# release the action runs at (the `version` input, else the action's own ref when that is a
# release tag or the commit of one) as .github/workflows/release.yml publishes it, checks it
# against its `.sha256` file and installs its binary. No release for this ref or runner: one
# line (a warning when a release was expected) and installed=false, so the action builds from
# source. A release that is there but wrong (checksum mismatch, a path leaving the archive's
# folder, a link, no binary, another version) fails the step: corrupt or tampered is not "none".
# Nothing persisted on the runner is trusted: the release is downloaded and checked on every run
# into a new folder of this job's RUNNER_TEMP (a self-hosted runner's tool cache is writable by
# every job that ran there before, pull requests included).
# `install.sh source`: `cargo install --locked` from the action's own source into IMGCOST_ROOT.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

action_path=${GITHUB_ACTION_PATH:-$(cd "$here/.." && pwd)}

# A release tag as release.yml is triggered by (`v*`) and validate.sh accepts for `version`.
tag_pattern='^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$'
# GitHub's `owner/name`.
repo_pattern='^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$'

# The Rust target triple the runner's release archive is built for (from the runner's own
# RUNNER_OS and RUNNER_ARCH, else uname), or nothing for runners the release does not cover.
runner_os=${RUNNER_OS:-$(uname -s)}
runner_arch=${RUNNER_ARCH:-$(uname -m)}
target_triple() {
  local os=$runner_os arch=$runner_arch
  case $arch in
    X64 | x86_64 | amd64) arch=x86_64 ;;
    ARM64 | arm64 | aarch64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  case $os in
    Linux) echo "$arch-unknown-linux-musl" ;;
    macOS | Darwin) echo "$arch-apple-darwin" ;;
    Windows | MINGW* | MSYS* | CYGWIN*)
      if [[ $arch == x86_64 ]]; then echo "$arch-pc-windows-msvc"; fi
      ;;
  esac
}

# The version of the action's own source (Cargo.toml's package version).
source_version() {
  sed -n 's/^version = "\([^"]*\)"$/\1/p' "$action_path/Cargo.toml" 2>/dev/null | head -n 1
}

# The commit the tag $1 of the action's repository points at, from the server's git refs:
# sets `commit` (empty when there is no such tag). Returns 1, with git's first line of error in
# `listing`, when the repository cannot be asked (network, a private repository).
tag_commit() {
  local sha name
  commit=''
  if ! listing=$(GIT_TERMINAL_PROMPT=0 git ls-remote "$server/$repo" "refs/tags/$1" "refs/tags/$1^{}" 2>&1); then
    listing=$(head -n 1 <<<"$listing" | cut -c1-300)
    return 1
  fi
  # The patterns match any ref that ends with them (`refs/tags/x/refs/tags/v1.0.0` too): take
  # the exact names only, the peeled commit of an annotated tag before the tag itself.
  while IFS=$'\t' read -r sha name; do
    if [[ $name == "refs/tags/$1^{}" ]]; then
      commit=$sha
    elif [[ $name == "refs/tags/$1" && -z $commit ]]; then
      commit=$sha
    fi
  done <<<"$listing"
}

# Sets `tag` to the release to install, or leaves it empty after one line saying why the action
# builds from source.
resolve_tag() {
  local ref=${ACTION_REF:-} version commit listing
  version=$(source_version)
  if [[ ${INPUT_VERSION:-} == source ]]; then
    echo "imgcost: \`version: source\`: building imgcost from the action's source"
  elif [[ -n ${INPUT_VERSION:-} ]]; then
    tag=v${INPUT_VERSION#v}
  elif [[ -z $ref ]]; then
    echo "imgcost: the action runs from a local path or an unknown ref, not a release: building imgcost from source"
  elif [[ $ref =~ $tag_pattern && $ref != "v$version" ]]; then
    # In an action that wraps this one, github.action_ref can be the outer action's ref
    # (actions/runner#2473): only the tag of the action's own version is taken for a release.
    echo "imgcost: the action runs at tag $(escape_data "$ref") but its source is version ${version:-unknown}, so that tag is not its release (an action that wraps imgcost's passes its own ref): building imgcost from source; set \`version\` to install a release"
  elif [[ $ref =~ $tag_pattern ]]; then
    tag=$ref
  elif [[ $ref =~ ^[0-9a-f]{40}$ && $repo =~ $repo_pattern && -n $version ]]; then
    # Pinned by commit SHA, as the documentation recommends: the commit of release v<version>.
    if ! tag_commit "v$version"; then
      annotate warning "could not list the tags of $server/$repo to tell whether $ref is the commit of release v$version (git ls-remote: $listing); building imgcost from source"
    elif [[ $commit == "$ref" ]]; then
      tag=v$version
    else
      echo "imgcost: the action runs at $ref, which is not a release tag or the commit of one: building imgcost from source"
    fi
  else
    echo "imgcost: the action runs at $(escape_data "$ref"), which is not a release tag or the commit of one: building imgcost from source"
  fi
}

tag='' asset='' tmp=''
# The step's temporary folder (archive, unpacked files) goes whatever the outcome.
trap '[[ -z $tmp ]] || rm -rf "$tmp"' EXIT
repo=${RELEASE_REPOSITORY:-}
server=${GITHUB_SERVER_URL:-https://github.com}
temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}

# No usable release for this runner: warn once and let the action build from source.
fallback() {
  annotate warning "no prebuilt imgcost $tag for this runner ($1); building it from source instead"
  set_output installed false
  exit 0
}

# A release that is there but not what release.yml publishes: fail, install nothing.
refuse() {
  annotate error "refusing the prebuilt imgcost $tag: $1. A corrupt or tampered release is not built around: fix or remove the release, or pin another one"
  exit 1
}

# Downloads the archive and its .sha256 into $tmp: gh with a token (private repositories, rate
# limits), else plain HTTPS (public releases need no token). Fails when either is missing.
download() {
  local file
  if command -v gh >/dev/null 2>&1 && [[ -n ${GH_TOKEN:-} ]]; then
    # The release of the server git and curl ask (GitHub Enterprise Server's, not github.com's).
    gh_for_server
    gh release download "$tag" --repo "$GH_HOST/$repo" --dir "$tmp" \
      --pattern "$asset" --pattern "$asset.sha256" >/dev/null 2>"$tmp/download.log" || return 1
  else
    for file in "$asset" "$asset.sha256"; do
      curl -fsSL --proto '=https' --retry 2 --max-filesize 200000000 -o "$tmp/$file" \
        "$server/$repo/releases/download/$tag/$file" 2>"$tmp/download.log" || return 1
    done
  fi
  [[ -f $tmp/$asset && -f $tmp/$asset.sha256 ]]
}

# The archive's entries as `TYPE NAME` lines (TYPE: the first letter of ls's mode, `-` for a
# regular file), for the checks before anything is unpacked.
list_entries() {
  local archive=$1
  case $archive in
    *.tar.gz)
      # GNU tar and bsdtar both start a verbose line with the mode; names come from -t.
      paste -d ' ' <(tar -tvzf "$archive" | cut -c1) <(tar -tzf "$archive")
      ;;
    *.zip)
      # zipinfo's long listing: a header of two lines, one line per entry, a total line.
      paste -d ' ' <(unzip -Z "$archive" | sed '1,2d;$d' | cut -c1) <(unzip -Z1 "$archive")
      ;;
  esac
}

unpack() {
  local archive=$1 into=$2
  case $archive in
    *.tar.gz) tar -xzf "$archive" -C "$into" ;;
    *.zip) unzip -q "$archive" -d "$into" ;;
  esac
}

release() {
  local target folder binary expected name extra actual entries type entry version root why
  resolve_tag
  if [[ -z $tag ]]; then
    set_output installed false
    return 0
  fi
  target=$(target_triple)
  [[ -n $target ]] || fallback "$runner_os $runner_arch has no release build"
  [[ $repo =~ $repo_pattern ]] || fallback "the action's repository is unknown"
  if [[ $target == *windows* ]]; then
    asset=imgcost-$target.zip binary=imgcost.exe
    # Git for Windows (the runners' bash) ships unzip.
    command -v unzip >/dev/null 2>&1 || fallback "unzip is not installed to unpack $asset"
  else
    asset=imgcost-$target.tar.gz binary=imgcost
  fi
  folder=imgcost-$target
  version=${tag#v}

  tmp=$(mktemp -d "$temp/imgcost-release.XXXXXX")
  if ! download; then
    why=$(head -n 1 "$tmp/download.log" 2>/dev/null || true)
    fallback "$repo has no release $tag with the assets $asset and $asset.sha256${why:+: $why}"
  fi

  # The checksum file is one line `<hex>  <name>`, as sha256sum writes it.
  [[ $(wc -l <"$tmp/$asset.sha256" | tr -d ' ') == 1 ]] ||
    refuse "$asset.sha256 is not one sha256sum line"
  read -r expected name extra <"$tmp/$asset.sha256" || true
  [[ $expected =~ ^[0-9a-f]{64}$ && ${name#\*} == "$asset" && -z $extra ]] ||
    refuse "$asset.sha256 is not a sha256sum line for $asset"
  actual=$(sha256_stdin <"$tmp/$asset")
  [[ $actual == "$expected" ]] ||
    refuse "$asset has SHA-256 $actual, its $asset.sha256 says $expected"

  # Before unpacking: every entry is a plain file or folder under $folder/, with no `..`.
  entries=$(list_entries "$tmp/$asset") || refuse "$asset is not a readable archive"
  [[ -n $entries ]] || refuse "$asset is empty"
  while IFS= read -r entry; do
    type=${entry%% *} name=${entry#* }
    [[ $name =~ ^$folder(/[A-Za-z0-9_.-]+)*/?$ && /$name/ != */../* ]] ||
      refuse "its entry \`$(escape_data "$name")\` is outside $folder/"
    [[ $type == - || $type == d ]] ||
      refuse "its entry \`$(escape_data "$name")\` is a link or a special file"
  done <<<"$entries"
  mkdir "$tmp/unpacked"
  unpack "$tmp/$asset" "$tmp/unpacked" || refuse "$asset could not be unpacked"
  if [[ -n $(find "$tmp/unpacked" ! -type f ! -type d) ]]; then
    refuse "$asset holds a link or a special file"
  fi
  [[ -f $tmp/unpacked/$folder/$binary ]] || refuse "$asset holds no $folder/$binary"

  chmod +x "$tmp/unpacked/$folder/$binary"
  if ! actual=$("$tmp/unpacked/$folder/$binary" --version 2>/dev/null); then
    fallback "the $target binary does not run here"
  fi
  [[ $actual == "imgcost $version" ]] ||
    refuse "its binary says \`$(escape_data "$actual")\`, not \`imgcost $version\`"
  # A new folder of this job's own, never one a path could already lead to (a link planted
  # there would be written through): the binary is moved into it from the checked archive.
  root=$(mktemp -d "$temp/imgcost-$version.XXXXXX")
  mkdir "$root/bin"
  mv "$tmp/unpacked/$folder/$binary" "$root/bin/$binary"
  echo "imgcost: installed the prebuilt $asset of release $tag (SHA-256 $expected)"
  "$root/bin/$binary" --version
  set_output installed true
  set_output root "$root"
}

source_build() {
  local root=${IMGCOST_ROOT:?}
  if ! command -v cargo >/dev/null 2>&1; then
    annotate error "cargo is not installed: set up Rust before imgcost (e.g. dtolnay/rust-toolchain), or pin the action to a release tag (or set the \`version\` input) to use a prebuilt binary"
    exit 1
  fi
  echo "::group::cargo install imgcost from $action_path"
  # This step runs only when actions/cache restored no build: a binary already in the root did
  # not come from the cache and is not trusted, so cargo replaces it (--force) rather than
  # keeping it.
  cargo install --locked --force --path "$action_path" --root "$root" \
    --target-dir "$temp/imgcost-target"
  echo "::endgroup::"
  "$root/bin/imgcost" --version
}

case ${1:-} in
  release) release ;;
  source) source_build ;;
  *)
    echo "usage: install.sh release|source" >&2
    exit 2
    ;;
esac
