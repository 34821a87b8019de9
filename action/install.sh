#!/usr/bin/env bash
# Installs imgcost for the action. `install.sh release`: downloads the prebuilt binary of the
# `version` input from the action's GitHub releases and checks its SHA-256; when there is no
# asset for this runner (or the download fails) it warns and reports installed=false, so the
# action builds from source instead. `install.sh source`: `cargo install --locked` from the
# action's own source into IMGCOST_ROOT.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

action_path=${GITHUB_ACTION_PATH:-$(cd "$here/.." && pwd)}

# The Rust target triple a release asset is built for, or nothing for unsupported runners.
target_triple() {
  local os arch
  os=$(uname -s)
  arch=$(uname -m)
  case $arch in
    x86_64 | amd64) arch=x86_64 ;;
    arm64 | aarch64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  case $os in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN*) echo "$arch-pc-windows-msvc" ;;
  esac
}

release() {
  local tag=${INPUT_VERSION:?} root=${IMGCOST_RELEASE_ROOT:?}
  local repo=${RELEASE_REPOSITORY:-${GITHUB_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}}
  local target asset tmp expected actual binary
  fallback() {
    annotate warning "no prebuilt imgcost $tag for this runner ($1); building it from source instead"
    set_output installed false
    exit 0
  }
  if [[ -x $root/bin/imgcost || -x $root/bin/imgcost.exe ]]; then
    echo "imgcost $tag is already in $root"
  else
    target=$(target_triple)
    [[ -n $target ]] || fallback "$(uname -s) $(uname -m) has no release build"
    [[ -n $repo ]] || fallback "the action's repository is unknown"
    command -v gh >/dev/null 2>&1 || fallback "the gh CLI is not installed"
    asset="imgcost-${tag#v}-$target.tar.gz"
    tmp=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/imgcost-release.XXXXXX")
    if ! gh release download "$tag" --repo "$repo" --dir "$tmp" \
      --pattern "$asset" --pattern "$asset.sha256"; then
      fallback "$repo has no asset $asset in release $tag"
    fi
    expected=$(cut -d' ' -f1 <"$tmp/$asset.sha256")
    actual=$(sha256_stdin <"$tmp/$asset")
    [[ $expected == "$actual" ]] || fallback "$asset does not match its SHA-256 file"
    mkdir -p "$tmp/unpacked" "$root/bin"
    tar -xzf "$tmp/$asset" -C "$tmp/unpacked" || fallback "$asset could not be unpacked"
    binary=$(find "$tmp/unpacked" -type f \( -name imgcost -o -name imgcost.exe \) | head -n 1)
    [[ -n $binary ]] || fallback "$asset holds no imgcost binary"
    cp "$binary" "$root/bin/"
    chmod +x "$root/bin/$(basename "$binary")"
  fi
  "$root/bin/imgcost" --version || fallback "the downloaded binary does not run here"
  set_output installed true
  set_output root "$root"
}

source_build() {
  local root=${IMGCOST_ROOT:?}
  if [[ -x $root/bin/imgcost ]] && "$root/bin/imgcost" --version >/dev/null 2>&1; then
    echo "imgcost is already built in $root"
    return 0
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    annotate error "cargo is not installed: set up Rust before imgcost (e.g. dtolnay/rust-toolchain), or set the \`version\` input to use a prebuilt release"
    exit 1
  fi
  echo "::group::cargo install imgcost from $action_path"
  cargo install --locked --path "$action_path" --root "$root" \
    --target-dir "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/imgcost-target"
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
