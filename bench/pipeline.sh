#!/usr/bin/env bash
# Pipeline figures for docs/PERFORMANCE.md (needs Docker and the local test image, which
# examples/wordcount/build-image.sh makes):
#   - per-datum overhead: 200 trivial datums at -j 2, wall time / 200 (the command itself
#     does next to nothing, so all of it is overhead), against a container-per-datum baseline
#     of `docker run --rm` measured in the same run;
#   - a no-op `pach run` over 1,000 up-to-date datums (no container may start);
#   - changing 1 of 1,000 input files reruns exactly 1 datum;
#   - overlap: two datums with heavy host work (10,000 input files staged and 10,000 output
#     files hashed and stored each) alone and together at -j 2; with the host work off the
#     async executor, together should take at most 0.6 x the sum of the two alone.
#   bench/pipeline.sh [overhead|overlap]...   (default both; PACH=path/to/pach, default
#                                             target/release/pach; RUNS=5 for overlap)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
PACH=${PACH:-$here/target/release/pach}
"$here/examples/wordcount/build-image.sh" pach-test/busybox:1
W=$(mktemp -d "${TMPDIR:-/tmp}/pach-pipebench.XXXXXX")
trap 'rm -rf "$W"' EXIT
now() { date +%s.%N; }
setup() { # N files, one datum each
  rm -rf "$W/p" && mkdir -p "$W/p/data/in" && cd "$W/p"
  for i in $(seq 1 "$1"); do echo "$i" > "data/in/f$i"; done
  cat > pach.toml <<'TOML'
[[stage]]
name = "copy"
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "cp /pach/in/x/* /pach/out/"]
output = "out"
[[stage.input]]
name = "x"
path = "data/in"
glob = "/*"
TOML
  "$PACH" init -q && "$PACH" add -q data && "$PACH" commit -q -m data
}
section_overhead() {
  echo "== container per datum (baseline): 10 x docker run --rm"
  t0=$(now); for i in $(seq 1 10); do docker run --rm --network none pach-test/busybox:1 true; done; t1=$(now)
  echo "docker run --rm: $(echo "($t1 - $t0) / 10 * 1000" | bc -l | xargs printf '%.0f') ms per container"
  for r in 1 2 3; do
    setup 200
    t0=$(now); "$PACH" run -q -j 2 > /dev/null; t1=$(now)
    echo "run $r: 200 datums at -j 2: $(echo "$t1 - $t0" | bc -l | xargs printf '%.2f') s, $(echo "($t1 - $t0) / 200 * 1000" | bc -l | xargs printf '%.1f') ms per datum"
  done
  setup 1000
  "$PACH" run -q -j 2 > /dev/null
  before=$(docker ps -aq --filter label=pach | wc -l)
  for r in 1 2 3; do
    t0=$(now); "$PACH" run -q > /dev/null; t1=$(now)
    echo "no-op run over 1000 datums: $(echo "$t1 - $t0" | bc -l | xargs printf '%.3f') s"
  done
  echo "pach containers left: $(( $(docker ps -aq --filter label=pach | wc -l) - before ))"
  echo changed >> data/in/f500
  "$PACH" add -q data && "$PACH" commit -q -m one
  "$PACH" run --json -j 2 > "$W/one.json"
  python3 -c "import json,sys; d=json.load(open('$W/one.json')); s=d['stages'][0]; print(f\"changed 1 of 1000: {len(s['ran'])} datum(s) ran, {s['reused']} reused\")"
}

# Median of the numbers on stdin.
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# A project in $W/$1 whose input holds the directories named in $2.., 10,000 files each.
heavy() {
  local dir=$W/$1; shift
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  for d in "$@"; do
    mkdir -p "data/in/$d"
    (cd "data/in/$d" && seq 1 10000 | sed "s/.*/$d-&/" | split -l 1 -a 4 - f)
  done
  cat > pach.toml <<'TOML'
[[stage]]
name = "copy"
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "cp -r /pach/in/x/* /pach/out/"]
output = "out"
[[stage.input]]
name = "x"
path = "data/in"
glob = "/*"
TOML
  "$PACH" init -q && "$PACH" add -q data && "$PACH" commit -q -m data
  "$PACH" run -q -j 2 > /dev/null # warm the page cache and the image
}

# Seconds of one `pach run --force` in $W/$1 with -j $2.
timed() {
  cd "$W/$1"
  local t0 t1
  t0=$(date +%s.%N); "$PACH" run -q --force -j "$2" > /dev/null; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

section_overlap() {
  local runs=${RUNS:-5}
  echo "== overlap: 2 datums of 10,000 files in, 10,000 out; medians of $runs"
  heavy a d1
  heavy b d2
  heavy ab d1 d2
  local ta=() tb=() tab=()
  for r in $(seq 1 "$runs"); do # interleaved, so drift hits all three alike
    ta+=("$(timed a 1)"); tb+=("$(timed b 1)"); tab+=("$(timed ab 2)")
  done
  local ma mb mab
  ma=$(printf '%s\n' "${ta[@]}" | median)
  mb=$(printf '%s\n' "${tb[@]}" | median)
  mab=$(printf '%s\n' "${tab[@]}" | median)
  echo "alone: $(printf '%.2f' "$ma") s and $(printf '%.2f' "$mb") s (runs: ${ta[*]} | ${tb[*]})"
  echo "together at -j 2: $(printf '%.2f' "$mab") s (runs: ${tab[*]})"
  echo "ratio together / (sum alone): $(echo "$mab / ($ma + $mb)" | bc -l | xargs printf '%.2f') (target <= 0.6)"
}

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(overhead overlap)
for s in "${sections[@]}"; do
  case $s in
    overhead) section_overhead ;;
    overlap) section_overlap ;;
    *) echo "bench/pipeline.sh: unknown section \`$s\` (known: overhead, overlap)" >&2; exit 2 ;;
  esac
done
