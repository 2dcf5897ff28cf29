#!/usr/bin/env bash
# Fetch memory: peak anonymous memory (RssAnon from /proc/PID/status, sampled every ~50 ms) of
# `pach fetch` (into a new project) and of `pach clone` (fetch + checkout) from a directory
# remote whose one commit has N new trees: N directories (data/aNNN/dNNNNNN/, 1000 per
# parent) with one small file each.
# Usage: bench/fetch_memory.sh [N]   (default 100000; PACH_BIN=path/to/pach to measure
# another build, e.g. the one before a change)
set -euo pipefail
N=${1:-100000}
PACH=${PACH_BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/pach}
[ -x "$PACH" ] || { echo "no pach binary at $PACH (cargo build --release, or set PACH_BIN)"; exit 1; }
W=$(mktemp -d /tmp/pach-fetchmem.XXXX); trap 'rm -rf "$W"' EXIT
export PACH_AUTHOR_NAME=bench PACH_AUTHOR_EMAIL=b@x PACH_AUTHOR_DATE=1700000000
python3 - "$W/p/data" "$N" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"a{i // 1000:03}", f"d{i:06}")
    os.makedirs(d)
    with open(os.path.join(d, "f"), "w") as f:
        f.write(f"{i}\n")
PY
(cd "$W/p" && "$PACH" init -q && "$PACH" add -q data && "$PACH" commit -q -m trees \
  && "$PACH" -q remote add origin "$W/remote" && "$PACH" push -q)
trees=$(find "$W/p/data" -type d | wc -l)
# Peak RssAnon of a command, in KiB, sampled every 50 ms until it exits.
peak() {
  "$@" >/dev/null 2>"$W/err" & local pid=$! max=0 kb
  while kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$kb" ]; do
    [ "$kb" -gt "$max" ] && max=$kb
    sleep 0.05
  done
  wait "$pid" || { cat "$W/err" >&2; exit 1; }
  echo "$max"
}
mkdir -p "$W/f" && (cd "$W/f" && "$PACH" init -q && "$PACH" -q remote add origin "$W/remote")
start=$(date +%s.%N)
kb=$(cd "$W/f" && peak "$PACH" fetch)
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "fetch of $N files in $trees new trees: peak RssAnon $((kb / 1024)) MiB ($kb KiB), ${secs} s"
start=$(date +%s.%N)
kb=$(cd "$W" && peak "$PACH" clone "$W/remote" c)
secs=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(find "$W/c/data" -type f | wc -l)" -eq "$N" ] || { echo "clone is incomplete"; exit 1; }
echo "clone (fetch + checkout): peak RssAnon $((kb / 1024)) MiB ($kb KiB), ${secs} s"
echo "binary: $PACH"
