#!/usr/bin/env bash
# Builds the static Linux binary and the Python wheel, installs the wheel
# into a new virtual environment, and builds every sample of inputs/ with
# each, in a bare environment; their PDFs must be byte for byte the ones
# the development build writes. See docs/release.md.
#
#   packaging/check.sh
#
# Needs: rustup's x86_64-unknown-linux-musl target, a C compiler, Python 3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=x86_64-unknown-linux-musl
work=target/packaging
started=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }
size() { du -b "$1" | cut -f1 | awk '{ printf "%.1f MB (%d bytes)", $1 / 1e6, $1 }'; }

status=0
rm -rf "$work/out" "$work/home" "$work/venv" "$work/archive" "$work/wheels"
mkdir -p "$work/out" "$work/home" "$work/elsewhere"

step "The development build: the reference PDFs"
cargo build --locked --quiet
"$root/target/debug/workshop-report" build inputs --out-dir "$work/out/dev" --force --quiet

step "The static binary ($target) and its archive"
# The C parts of dependencies (zstd, mimalloc, a stack probe) are compiled
# against musl: musl-gcc (Debian's and Ubuntu's musl-tools).
if [ -z "${CC_x86_64_unknown_linux_musl:-}" ]; then
    command -v musl-gcc > /dev/null || {
        echo "error: musl-gcc is not installed (apt install musl-tools), or set CC_x86_64_unknown_linux_musl" >&2
        exit 2
    }
    export CC_x86_64_unknown_linux_musl=musl-gcc
fi
cargo build --release --locked --quiet --target "$target"
archive=$(packaging/archive.sh "$target" "$work/archive")
(cd "$work/archive" && sha256sum -c --quiet "$(basename "$archive").sha256")
mkdir -p "$work/archive/unpacked"
tar -xzf "$archive" -C "$work/archive/unpacked"
static=$(echo "$root/$work"/archive/unpacked/*/workshop-report)
if command -v file > /dev/null; then file -b "$static"; fi

step "The wheel"
if [ ! -x "$work/maturin/bin/maturin" ]; then
    python3 -m venv "$work/maturin"
    "$work/maturin/bin/pip" install --quiet "maturin==1.16.0"
fi
"$work/maturin/bin/maturin" build --release --locked --quiet --target "$target" \
    --compatibility manylinux_2_17 musllinux_1_2 --out "$work/wheels"
wheel=$(echo "$work"/wheels/*.whl)
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$wheel"
from_wheel="$root/$work/venv/bin/workshop-report"
cmp "$static" "$from_wheel" && echo "the wheel installs the archive's binary, byte for byte"

step "The command-line tests and the corpus of bad inputs, run against the static binary"
if WORKSHOP_REPORT_BINARY="$static" cargo test --locked --test cli --test corpus > "$work/tests.log" 2>&1; then
    grep "^test result" "$work/tests.log"
else
    grep -E "^test result|FAILED|panicked" "$work/tests.log"
    echo "the tests fail against the static binary (all of it in $work/tests.log)"
    status=1
fi

step "Every sample, with each, in a bare environment"
# No variables but an empty HOME and a PATH without the tool; another
# working folder; no fonts but the binary's own.
bare() { (cd "$work/elsewhere" && env -i HOME="$root/$work/home" PATH=/usr/bin:/bin "$@"); }
for build in static wheel; do
    exe=$static
    [ "$build" = wheel ] && exe=$from_wheel
    bare "$exe" --version
    start=$(date +%s%N)
    bare "$exe" build "$root/inputs" --out-dir "$root/$work/out/$build" --force --quiet
    echo "$build: every sample built in $((($(date +%s%N) - start) / 1000000)) ms"
done

step "The PDFs, byte for byte"
count=0
for pdf in "$work"/out/dev/*.pdf; do
    name=$(basename "$pdf")
    for build in static wheel; do
        if cmp -s "$pdf" "$work/out/$build/$name"; then
            count=$((count + 1))
        else
            echo "DIFFERS: $build/$name"
            status=1
        fi
    done
    printf '%s  %s\n' "$(sha256sum "$pdf" | cut -c1-16)" "$name"
done
echo "$count of $(($(ls "$work"/out/dev/*.pdf | wc -l) * 2)) PDFs identical to the development build's"

step "Sizes"
echo "binary:  $(size "$root/target/$target/release/workshop-report")"
echo "archive: $(size "$archive")"
echo "wheel:   $(size "$wheel")  ($(basename "$wheel"))"
if [ "$(du -b "$wheel" | cut -f1)" -ge 100000000 ]; then
    echo "the wheel is over the Python package index's 100 MB limit"
    status=1
fi
step "Done"
exit "$status"
