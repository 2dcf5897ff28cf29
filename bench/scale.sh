#!/usr/bin/env bash
# How chunked storage scales with the size of one file: add+commit, a 1 MiB append and its
# add+commit, and a checkout of the first version, for one binary, with peak RssAnon of each
# add (sampled every 50 ms). Baselines in the same run: `b3sum --num-threads 2`, `cp -r DIR
# && sync`, `cp FILE`. No remotes, so the disk needs about 3 x SIZE free (file, store, copy).
#
#   bench/scale.sh [SIZE_MiB (default 20480)]     (PACH_BIN=path, default target/release/pach)
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "$0")/.." && pwd)"
SIZE=${1:-20480}
PACH=${PACH_BIN:-$here/target/release/pach}
export PATH="$HOME/.cargo/bin:/root/.cargo/bin:$PATH" PACH_AUTHOR_NAME=bench PACH_AUTHOR_EMAIL=b@x
command -v b3sum > /dev/null || { echo "bench/scale.sh: needs b3sum (cargo install b3sum --locked)" >&2; exit 2; }
TMP=${TMPDIR:-/tmp}
free=$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')
[ "$free" -ge $((3 * SIZE + 1024)) ] || { echo "bench/scale.sh: needs $((3 * SIZE + 1024)) MiB free in $TMP, has $free" >&2; exit 2; }
W=$(mktemp -d "$TMP/pach-scale.XXXXXX")
trap 'rm -rf "$W"' EXIT

t() { local s=$EPOCHREALTIME; "$@" > /dev/null 2>&1; awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
# Runs "$@" and prints "<seconds> <peak RssAnon KiB>".
peak() {
  local s=$EPOCHREALTIME max=0 v
  "$@" > /dev/null 2> "$W/err" &
  local pid=$!
  while kill -0 "$pid" 2> /dev/null; do
    v=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
    if [ -n "$v" ] && [ "$v" -gt "$max" ]; then max=$v; fi
    sleep 0.05
  done
  wait "$pid" || { cat "$W/err" >&2; exit 1; }
  awk -v a="$s" -v b="$EPOCHREALTIME" -v m="$max" 'BEGIN { printf "%.2f %d\n", b - a, m }'
}
store() { du -sb "$W/p/.pach/objects" "$W/p/.pach/chunked" | awk '{ s += $1 } END { printf "%.0f", s }'; }

mkdir -p "$W/p/data"
head -c $((SIZE << 20)) /dev/urandom > "$W/p/data/big.bin"
sync
b3sum --num-threads 2 "$W/p/data/big.bin" > /dev/null
echo "one file of $SIZE MiB of random bytes; $($PACH --version)"
echo "b3sum --num-threads 2 (warm):  $(t b3sum --num-threads 2 "$W/p/data/big.bin") s"
echo "cp -r DIR COPY && sync:        $(t sh -c "cp -r '$W/p/data' '$W/copy' && sync") s"
rm -rf "$W/copy"; sync
echo "cp FILE COPY:                  $(t cp "$W/p/data/big.bin" "$W/copy.bin") s"
rm -f "$W/copy.bin"; sync
cd "$W/p"
$PACH init -q
read -r secs rss < <(peak "$PACH" add -q data)
c=$(t "$PACH" commit -q -m v1)
echo "add+commit v1:                 $secs s + $c s, peak RssAnon of add $((rss / 1024)) MiB, store $(($(store) >> 20)) MiB"
head -c 1048576 /dev/urandom >> data/big.bin
before=$(store)
read -r secs rss < <(peak "$PACH" add -q data)
c=$(t "$PACH" commit -q -m v2)
echo "append 1 MiB, add+commit:      $secs s + $c s, peak RssAnon of add $((rss / 1024)) MiB, store grew $(( ($(store) - before) >> 10)) KiB"
echo "checkout v1 (truncates):       $(t $PACH checkout -q HEAD~1) s"
echo "checkout main (appends):       $(t $PACH checkout -q main) s"
rm data/big.bin
echo "restore (whole copy):          $(t $PACH restore data/big.bin) s"
