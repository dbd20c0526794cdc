#!/usr/bin/env bash
# Packs a built binary as a release archive, with its SHA-256 sum beside it:
#
#   packaging/archive.sh TARGET [OUT_DIR [BINARY]]
#
# reads BINARY (default: target/TARGET/release/workshop-report, .exe on
# Windows) and writes
# OUT_DIR/workshop-report-VERSION-TARGET.tar.gz (.zip for Windows) and
# OUT_DIR/workshop-report-VERSION-TARGET.tar.gz.sha256 (default OUT_DIR:
# dist). The archive holds one folder of the same name: the binary, the
# README, the changelog and the licences (the code's and the fonts').
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: packaging/archive.sh TARGET [OUT_DIR [BINARY]]}
out=${2:-dist}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name="workshop-report-$version-$target"
exe=""
case "$target" in *windows*) exe=".exe" ;; esac
binary=${3:-target/$target/release/workshop-report$exe}
[ -f "$binary" ] || { echo "error: $binary is not built (cargo build --release --locked --target $target)" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "$binary" "$stage/$name/workshop-report$exe"
cp README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$stage/$name/"
cp fonts/OFL.txt "$stage/$name/LICENSE-FONTS-OFL.txt"

mkdir -p "$out"
case "$target" in
    *windows*)
        archive="$name.zip"
        (cd "$stage" && 7z a -tzip -mx=9 "$archive" "$name" > /dev/null)
        ;;
    *)
        archive="$name.tar.gz"
        # With GNU tar (gtar on macOS): sorted, with fixed owners and
        # times, so that the same binary gives the same archive.
        gnutar=$(command -v gtar || command -v tar)
        if "$gnutar" --version 2>/dev/null | grep -q GNU; then
            "$gnutar" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
                -C "$stage" -cf - "$name" | gzip -9n > "$stage/$archive"
        else
            tar -C "$stage" -cf - "$name" | gzip -9n > "$stage/$archive"
        fi
        ;;
esac
mv "$stage/$archive" "$out/"
# `sha256sum -c` checks the file written (`shasum -a 256` on macOS).
sum() { if command -v sha256sum > /dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
(cd "$out" && sum "$archive" > "$archive.sha256")
echo "$out/$archive"
