#!/usr/bin/env bash
# Installs stepdoc for the GitHub Action (action.yml), or by hand:
#
#   scripts/install.sh VERSION DEST
#
# VERSION is a release (0.1.0), `latest`, or `source` (build the checkout
# this script lives in). The prebuilt archive for this machine is downloaded
# with its .sha256 file and checked before anything is unpacked; a checksum
# that does not match stops the install. When no prebuilt archive exists for
# this machine or version, the checkout this script lives in (the action's
# own, at the tag the workflow names: `stepdoc/stepdoc@v0`) is built with
# `cargo install --locked --path`, without `record` and `serve`, which a
# build does not need. The binary ends up in DEST/bin. CARGO names the cargo
# to run (tests give a stand-in).
#
# STEPDOC_RELEASES overrides where releases are downloaded from (default: the
# GitHub releases of STEPDOC_REPOSITORY, stepdoc/stepdoc); tests point it at
# a local directory.
set -euo pipefail

version=${1:?usage: install.sh VERSION DEST}
dest=${2:?usage: install.sh VERSION DEST}
here=$(cd "$(dirname "$0")/.." && pwd)
repository=${STEPDOC_REPOSITORY:-stepdoc/stepdoc}
releases=${STEPDOC_RELEASES:-https://github.com/$repository/releases}
mkdir -p "$dest/bin"

cargo=${CARGO:-cargo}
if [ "$version" = source ]; then
  "$cargo" install --locked --path "$here" --root "$dest" --no-default-features
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  MINGW* | MSYS* | CYGWIN*) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
case "$target" in
  *windows*) archive="stepdoc-$target.zip" ;;
  *) archive="stepdoc-$target.tar.gz" ;;
esac
if [ "$version" = latest ]; then
  base="$releases/latest/download"
else
  base="$releases/download/v${version#v}"
fi

from_source() {
  echo "stepdoc: no prebuilt archive for ${target:-this machine} ($1); building $here with cargo install --locked --path"
  "$cargo" install --locked --path "$here" --root "$dest" --no-default-features
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$target" ] || ! curl -fsSL --retry 3 -o "$work/$archive" "$base/$archive"; then
  from_source "$base/$archive"
  exit 0
fi
if ! curl -fsSL --retry 3 -o "$work/$archive.sha256" "$base/$archive.sha256"; then
  echo "stepdoc: $archive has no $archive.sha256 beside it; refusing to install an unverified binary" >&2
  exit 1
fi
expected=$(cut -d ' ' -f 1 < "$work/$archive.sha256")
if command -v sha256sum >/dev/null; then
  actual=$(sha256sum "$work/$archive" | cut -d ' ' -f 1)
else
  actual=$(shasum -a 256 "$work/$archive" | cut -d ' ' -f 1)
fi
if [ "$actual" != "$expected" ]; then
  echo "stepdoc: checksum mismatch for $archive (expected $expected, got $actual); nothing was installed" >&2
  exit 1
fi
case "$archive" in
  *.zip) (cd "$work" && unzip -q "$archive") ;;
  *) tar -xzf "$work/$archive" -C "$work" ;;
esac
for bin in stepdoc stepdoc.exe; do
  if [ -f "$work/stepdoc-$target/$bin" ]; then
    install -m 755 "$work/stepdoc-$target/$bin" "$dest/bin/$bin"
  fi
done
"$dest/bin/stepdoc" --version
