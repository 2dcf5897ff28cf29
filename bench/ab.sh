#!/usr/bin/env bash
# A/B of two pach binaries on the figures of bench/run.sh, alternating run by run so a slow
# spell of the machine hits both: used to show a refactoring changed no figure.
#
#   bench/ab.sh OLD_PACH NEW_PACH [RUNS]      (RUNS default 5; medians and new/old ratios)
#
# Figures: add+commit of data_S (20,000 files of 1-64 KiB and two of 512 MiB) and of data_L
# (one 4 GiB file), a no-op status on data_S, checkout of data_L's first version after a
# 1 MiB append and back, and (with Docker and the local test image) 200 trivial datums at
# -j 2 and a no-op run over them. Datasets come from the shared kit's generator
# (../shared/bench, or KIT=...); results go to $ROOT/results/ab-binaries.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
KIT=${KIT:-$here/../shared/bench}
export ROOT=${ROOT:-${TMPDIR:-/tmp}/pachbench}
[ $# -ge 2 ] || { echo "usage: bench/ab.sh OLD_PACH NEW_PACH [RUNS]" >&2; exit 2; }
A=$(realpath "$1") B=$(realpath "$2") RUNS=${3:-5}
if [ ! -f "$KIT/gen_dataset.py" ]; then
  echo "bench: the shared benchmark kit is not at $KIT (set KIT=...); nothing to do" >&2
  exit 2
fi
S="$ROOT/data_S" L="$ROOT/data_L"
[ -d "$S" ] || python3 "$KIT/gen_dataset.py" gen "$S" --small 20000 --min-kib 1 --max-kib 64 --large 2 --large-mib 512 --fanout 16 --depth 2 --seed 42
[ -f "$L/large/big00.bin" ] || python3 "$KIT/gen_dataset.py" gen "$L" --small 0 --large 1 --large-mib 4096 --seed 42
W="$ROOT/work-abbin"
out="$ROOT/results/ab-binaries.txt"
mkdir -p "$ROOT/results"
: > "$out"
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
# Wall seconds of a command (microsecond clock), its output discarded; a failure stops the bench.
t() { local s=$EPOCHREALTIME; "$@" > /dev/null; printf '%.3f' "$(echo "$EPOCHREALTIME - $s" | bc -l)"; }
rec() { echo "$1 $2 $3" >> "$raw"; echo "$1 $2: $3 s" | tee -a "$out"; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for shape in S L; do
  rm -rf "$W" && mkdir -p "$W/repo" && cp -a "$ROOT/data_$shape" "$W/repo/data" && sync
  find "$W/repo/data" -type f -exec cat {} + > /dev/null
  for run in $(seq 1 "$RUNS"); do
    for side in old new; do
      P=$A; [ $side = new ] && P=$B
      sync; sleep 1
      rec "add+commit_$shape" $side "$(cd "$W/repo" && t sh -c "'$P' init -q && '$P' add -q data && '$P' commit -q -m v1")"
      if [ $shape = S ]; then
        (cd "$W/repo" && "$P" status > /dev/null)
        rec "status_S" $side "$(cd "$W/repo" && t "$P" status)"
      fi
      rm -rf "$W/repo/.pach"
    done
  done
done

# Checkout after a 1 MiB append (the file is resized in place), both binaries on one project
# (the formats are the same).
cd "$W/repo"
"$A" init -q && "$A" add -q data && "$A" commit -q -m v1 && "$A" branch v1 > /dev/null
python3 "$KIT/gen_dataset.py" mutate data > /dev/null
"$A" add -q data && "$A" commit -q -m v2
for run in $(seq 1 "$RUNS"); do
  for side in old new; do
    P=$A; [ $side = new ] && P=$B
    sync; sleep 1
    rec checkout_v1_L $side "$(t "$P" checkout -q v1)"
    sync; sleep 1
    rec checkout_main_L $side "$(t "$P" checkout -q main)"
  done
done
cd /; rm -rf "$W"

if docker image inspect pach-test/busybox:1 > /dev/null 2>&1; then
  mkdir -p "$W" && cd "$W"
  for run in $(seq 1 "$RUNS"); do
    for side in old new; do
      P=$A; [ $side = new ] && P=$B
      rm -rf p && mkdir -p p/data/in && cd p
      for i in $(seq 1 200); do echo "$i" > "data/in/f$i"; done
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
      "$P" init -q && "$P" add -q data && "$P" commit -q -m data
      rec run_200_datums $side "$(t "$P" run -q -j 2)"
      rec run_noop_200 $side "$(t "$P" run -q)"
      cd ..
    done
  done
  cd /; rm -rf "$W"
else
  echo "bench: no image pach-test/busybox:1 (examples/wordcount/build-image.sh makes it); pipeline figures skipped" | tee -a "$out"
fi

echo "== medians of $RUNS alternated runs (old = $A, new = $B)" | tee -a "$out"
for fig in $(awk '{print $1}' "$raw" | sort -u); do
  o=$(awk -v f="$fig" '$1 == f && $2 == "old" {print $3}' "$raw" | median)
  n=$(awk -v f="$fig" '$1 == f && $2 == "new" {print $3}' "$raw" | median)
  printf '%-18s old %8.3f s  new %8.3f s  new/old %.2f\n' "$fig" "$o" "$n" "$(echo "$n / $o" | bc -l)" | tee -a "$out"
done
echo "written to $out"
