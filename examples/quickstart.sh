#!/usr/bin/env bash
# pach quickstart: create a project, add generated data, commit, change it, commit again,
# look at log, diff and status, and read the old version back.
#
#   ./examples/quickstart.sh [DIR]      (default: a new temp directory)
#
# Uses $PACH if set, else target/release/pach (built by `cargo build --release`), else
# `pach` on PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
PACH=${PACH:-}
if [ -z "$PACH" ]; then
  if [ -x "$here/target/release/pach" ]; then PACH="$here/target/release/pach"; else PACH=pach; fi
fi
# A relative PACH (`PACH=target/release/pach`) means relative to where the script was
# started; resolve it before changing directory. A bare name is looked up on PATH.
case "$PACH" in
  */*) PACH="$(cd "$(dirname "$PACH")" && pwd)/$(basename "$PACH")" ;;
esac
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/pach-quickstart.XXXXXX")}
mkdir -p "$dir" && cd "$dir"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

git init -q . 2>/dev/null || true
run "$PACH" init

# Generated data: 200 small files in 4 directories, and one 32 MiB file.
mkdir -p data/raw
for d in a b c d; do
  mkdir -p "data/raw/$d"
  for i in $(seq 1 50); do
    printf 'sample %s-%s\n' "$d" "$i" > "data/raw/$d/s$i.txt"
    head -c 2048 /dev/urandom >> "data/raw/$d/s$i.txt"
  done
done
head -c $((32 << 20)) /dev/urandom > data/model.bin
cp data/raw/a/s1.txt "$dir/.s1-v1"
b3_v1=$(cksum < data/model.bin)

run "$PACH" add data
run "$PACH" status
run "$PACH" commit -m "first version of the data"
run "$PACH" tag v1

# Change some files, add one, delete one.
echo "relabelled" >> data/raw/a/s1.txt
head -c 1048576 /dev/urandom >> data/model.bin
echo "new" > data/raw/a/extra.txt
rm data/raw/d/s50.txt
run "$PACH" status
run "$PACH" diff
run "$PACH" add data
run "$PACH" commit -m "relabel a/s1, grow the model, add extra, drop d/s50"

run "$PACH" log
run "$PACH" diff v1 HEAD
run "$PACH" ls v1 data/raw/a/s1.txt

# Read the old version back, without and with a checkout.
say "$PACH cat v1:data/raw/a/s1.txt | cmp - .s1-v1"
"$PACH" cat v1:data/raw/a/s1.txt | cmp - "$dir/.s1-v1" && echo "identical to the first version"
run "$PACH" checkout v1
[ "$(cksum < data/model.bin)" = "$b3_v1" ] && echo "data/model.bin is back to its first version"
run "$PACH" checkout main
run "$PACH" status
run "$PACH" fsck
printf '\nquickstart done in %s\n' "$dir"
