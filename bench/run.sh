#!/usr/bin/env bash
# Reproduces the figures in docs/PERFORMANCE.md.
#
#   bench/run.sh peers  [TOOLS_S] [TOOLS_L]  side-by-side run of ../shared/bench/peers.sh
#                                            (default tools: "pach dvc lfs annex oxen")
#   bench/run.sh pach                        pach-only extras: hardlink mode, peak memory of
#                                            a 4 GiB add, bytes read by a no-op status
#   bench/run.sh ab [RUNS]                   add+commit against `cp -r && sync` of the same
#                                            warm files, alternating (S and L), and checkout
#                                            of a 4 GiB file after a 1 MiB append
#
# Needs the shared benchmark kit beside the checkout (../shared/bench: dataset generator,
# peers.sh, setup.sh); it is not part of this repository. Results go to $ROOT (default
# /tmp/pachbench). Quote medians; compare tools measured in the same run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
KIT=${KIT:-$here/../shared/bench}
export ROOT=${ROOT:-${TMPDIR:-/tmp}/pachbench}
if [ ! -f "$KIT/peers.sh" ]; then
  echo "bench: the shared benchmark kit is not at $KIT (set KIT=...); nothing to do" >&2
  exit 2
fi
if [ -z "${PACH:-}" ]; then
  (cd "$here" && cargo build --release --locked -q)
  PACH="$here/target/release/pach"
fi
export PACH
mkdir -p "$ROOT"
S="$ROOT/data_S" L="$ROOT/data_L"
gen() {
  [ -d "$S" ] || python3 "$KIT/gen_dataset.py" gen "$S" --small 20000 --min-kib 1 --max-kib 64 --large 2 --large-mib 512 --fanout 16 --depth 2 --seed 42
  [ -f "$L/large/big00.bin" ] || python3 "$KIT/gen_dataset.py" gen "$L" --small 0 --large 1 --large-mib 4096 --seed 42
}

case "${1:-pach}" in
peers)
  [ -x "$ROOT/venv/bin/dvc" ] || bash "$KIT/setup.sh"
  gen
  N="nice -n -15 ionice -c2 -n0"
  $N bash "$KIT/peers.sh" S "$S" "${RUNS_S:-3}" "${2:-pach dvc lfs annex oxen}"
  $N bash "$KIT/peers.sh" floors S "$S"
  FR=2 FR5=3 $N bash "$KIT/peers.sh" floors L "$L"
  $N bash "$KIT/peers.sh" L "$L" "${RUNS_L:-2}" "${3:-pach dvc lfs annex oxen}"
  python3 "$KIT/summarize.py" "$ROOT/results" S L
  ;;
pach)
  gen
  W="$ROOT/work-pach"
  out="$ROOT/results/pach-extras.txt"
  mkdir -p "$ROOT/results"
  : > "$out"
  export PATH="$ROOT/venv/bin:$PATH" DVC_NO_ANALYTICS=1
  fresh() { rm -rf "$W" && mkdir -p "$W" && cp -a "$1" "$W/data" && sync && cd "$W"; }
  t() { /usr/bin/time -f "%e s wall, %M KiB max RSS" "$@"; }
  for run in 1 2 3; do
    for mode in copy hardlink; do
      fresh "$S"
      "$PACH" init -q && { [ $mode = copy ] || echo "link = \"$mode\"" >> .pach/config.toml; }
      echo "S add+commit link=$mode run$run: $( { t sh -c "$PACH add -q data && $PACH commit -q -m v1"; } 2>&1 | tail -1)" | tee -a "$out"
    done
    if command -v dvc > /dev/null; then
      fresh "$S"
      git init -q && dvc init -q && dvc config cache.type hardlink
      echo "S add+commit dvc cache.type=hardlink run$run: $( { t sh -c "dvc add -q data && git add data.dvc .gitignore && git -c user.name=b -c user.email=b@b commit -qm v1"; } 2>&1 | tail -1)" | tee -a "$out"
    fi
  done
  fresh "$S"
  "$PACH" init -q && "$PACH" add -q data && "$PACH" commit -q -m v1
  echo "S no-op status: $("$PACH" -v status 2>&1 >/dev/null | grep 'file(s) read')" | tee -a "$out"
  if command -v hyperfine > /dev/null; then
    git init -q . && git add -A data > /dev/null 2>&1 && git -c user.name=b -c user.email=b@b commit -qm x > /dev/null
    hyperfine --style basic --warmup 2 --runs 15 --export-json "$ROOT/results/status_vs_git.json" \
      "$PACH status" "git status --porcelain" | tee -a "$out"
  fi
  fresh "$L"
  "$PACH" init -q
  echo "L add of one 4 GiB file: $( { t "$PACH" add -q data; } 2>&1 | tail -1)" | tee -a "$out"
  cd /; rm -rf "$W"
  echo "written to $out"
  ;;
ab)
  # The two commands alternate on the same (warm) source, so a slow spell of the machine
  # hits both: on a shared VM the page cache and the disk vary a lot from minute to minute.
  gen
  W="$ROOT/work-ab"
  out="$ROOT/results/ab.txt"
  mkdir -p "$ROOT/results"
  : > "$out"
  t() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
  for shape in S L; do
    src="$ROOT/data_$shape"
    rm -rf "$W" && mkdir -p "$W/repo" && cp -a "$src" "$W/repo/data" && sync
    find "$W/repo/data" -type f -exec cat {} + > /dev/null
    for run in $(seq 1 "${2:-3}"); do
      sync; sleep 2
      c=$(t sh -c "cp -r '$W/repo/data' '$W/cpdst' && sync")
      rm -rf "$W/cpdst"; sync; sleep 2
      p=$(cd "$W/repo" && t sh -c "'$PACH' init -q && '$PACH' add -q data && '$PACH' commit -q -m v1")
      rm -rf "$W/repo/.pach"
      echo "$shape run$run: cp -r && sync $c s, pach add+commit $p s" | tee -a "$out"
    done
  done
  # Checkout of the first version after a 1 MiB append (the file is resized in place).
  cd "$W/repo"
  "$PACH" init -q && "$PACH" add -q data && "$PACH" commit -q -m v1 && "$PACH" branch v1 > /dev/null
  python3 "$KIT/gen_dataset.py" mutate data > /dev/null
  "$PACH" add -q data && "$PACH" commit -q -m v2
  for run in $(seq 1 "${2:-3}"); do
    sync; sleep 2
    a=$(t "$PACH" checkout -q v1)
    sync; sleep 2
    b=$(t "$PACH" checkout -q main)
    echo "L run$run: checkout v1 $a s, back to main $b s" | tee -a "$out"
  done
  cd /; rm -rf "$W"
  echo "written to $out"
  ;;
*) echo "usage: bench/run.sh peers|pach|ab" >&2; exit 2 ;;
esac
