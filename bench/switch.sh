#!/usr/bin/env bash
# Working-tree switch cost: `pach checkout` between two commits of N small files (1-8 KiB),
# one changing 10% of them and one changing all, for one or more pach binaries measured in
# the same run on the same project (hyperfine for 10%, rounds taking turns for all: quote
# the medians and their ratios).
#
#   bench/switch.sh [N] BIN [BIN...]      e.g. bench/switch.sh 20000 old/pach target/release/pach
set -euo pipefail
n=${1:-20000}; shift
[ $# -ge 1 ] || { echo "usage: bench/switch.sh [N] BIN [BIN...]" >&2; exit 2; }
bins=()
for b in "$@"; do bins+=("$(cd "$(dirname "$b")" && pwd)/$(basename "$b")"); done
set -- "${bins[@]}"
command -v hyperfine > /dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }
root=${ROOT:-${TMPDIR:-/tmp}/pach-switch-bench}
rm -rf "$root"; mkdir -p "$root"
touch_every() { # STEP TEXT: append TEXT to every STEP-th file
  python3 - "$n" "$1" "$2" <<'PY'
import sys
n, every, text = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
for i in range(0, n, every):
    with open(f"data/{i % 16:02x}/{(i // 16) % 16:02x}/f{i}.bin", "ab") as f:
        f.write(text)
PY
}
make_project() { # DIR BIN
  local d=$1 bin=$2
  mkdir -p "$d" && cd "$d"
  "$bin" init -q
  python3 - "$n" <<'PY'
import os, random, sys
n = int(sys.argv[1]); r = random.Random(7)
for i in range(n):
    d = f"data/{i % 16:02x}/{(i // 16) % 16:02x}"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i}.bin", "wb") as f:
        f.write(r.randbytes(r.randint(1024, 8192)))
PY
  "$bin" add -q data && "$bin" commit -q -m v1 && "$bin" branch some && "$bin" branch all
  "$bin" checkout -q some
  touch_every 10 changed
  "$bin" add -q data && "$bin" commit -q -m some
  "$bin" checkout -q all
  touch_every 1 "all changed"
  "$bin" add -q data && "$bin" commit -q -m all
  "$bin" checkout -q main
}
# One project for every binary (the format is the same): projects made one after another
# land on different parts of the disk, which alone changed the figure by 2x here.
make_project "$root/p" "$1" > /dev/null
args=()
for bin in "$@"; do
  args+=(-n "$bin 10%" "cd $root/p && $bin checkout -q some && $bin checkout -q main")
done
echo "projects: $n files each; binaries: $*"
hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$root/switch.json" "${args[@]}" 2>&1 \
  | grep -E "^Benchmark|Time \(mean|Range|±" || true
python3 - "$root/switch.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"]}  median {statistics.median(r["times"]):.3f} s (two checkouts)')
PY
# The all-files switch leaves the disk in a state the next one pays for (inodes deleted in
# the last seconds), so run the binaries in turn rather than in blocks.
echo "all files, interleaved, ${RUNS:-10} rounds:"
cd "$root/p"
for _ in $(seq 1 "${RUNS:-10}"); do
  for bin in "$@"; do
    s=$(date +%s%N); "$bin" checkout -q all && "$bin" checkout -q main; e=$(date +%s%N)
    echo "$bin $(( (e - s) / 1000000 ))"
  done
done | python3 -c '
import statistics, sys
d = {}
for line in sys.stdin:
    b, t = line.split(); d.setdefault(b, []).append(int(t))
for b, v in d.items():
    print(f"{b} all  median {statistics.median(v) / 1000:.3f} s (two checkouts)")
'
