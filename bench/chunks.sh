#!/usr/bin/env bash
# Big files that change a little: what pach costs when one large file gets a small edit, in
# time, store growth and bytes pushed, for today's binary and a new one side by side.
#
#   bench/chunks.sh [SIZE_MiB (default 4096)] [RUNS (default 3)]
#   PACH_BIN=path/to/pach    binary to measure (default target/release/pach)
#   PACH_BASE=path/to/pach   optional second binary; every pach figure is then measured for
#                            both, alternating which goes first each run, each in its own
#                            project and remotes (a repository of one may not open with the
#                            other), and a new/base column is printed
#
# One file of SIZE MiB of random bytes is committed (v1), then edited three times, each edit
# made from v1's bytes: (a) 1 MiB appended, (b) 1 MiB overwritten at SIZE/2, (c) 100 bytes
# inserted at 1 GiB (at SIZE/4 when the file is not bigger than 1 GiB), shifting the rest. The
# edits are committed one after another in the same project, so the store (and the remotes)
# already hold v1 and the earlier edits, and each commit and push has only its own change to
# add. New files are built outside the timed part, then moved over the tracked one.
#
# Figures are medians over RUNS; ratios are to the baseline named on the line:
#   b3sum --num-threads 2 of the file (warm cache), `cp -r DIR COPY && sync` of a dir holding
#   it, `cp FILE COPY`; add+commit times; store size (every dir in .pach but tmp/ and work/);
#   pushes to a directory remote (files and bytes that appear or change in it) and to S3
#   through bench/s3count.py, a counting proxy in front of s3s-fs (requests and request-body
#   bytes, and requests beyond a push with nothing new, made right after); checkout of v1 and
#   back; a no-op status; peak RssAnon (sampled every 50 ms) of the initial and append adds.
#
# Needs b3sum (cargo install b3sum --locked) and python3; s3s-fs for the S3 figures (SKIPPED
# without it). Disk: up to 15 x SIZE free under ${TMPDIR:-/tmp}, for a binary that stores
# every version whole (data, store, two remotes). Everything goes in one work dir there,
# removed on exit.
set -euo pipefail
export LC_ALL=C  # $EPOCHREALTIME and awk must agree on the decimal point
here="$(cd "$(dirname "$0")/.." && pwd)"
SIZE=${1:-4096}
RUNS=${2:-3}
export PATH="$HOME/.cargo/bin:/root/.cargo/bin:$PATH"
export PACH_AUTHOR_NAME=bench PACH_AUTHOR_EMAIL=b@x
MiB=1048576

die() { echo "bench/chunks.sh: $*" >&2; exit 2; }
abs() { [ -x "$1" ] || die "no executable pach at $1"; echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
NEW=$(abs "${PACH_BIN:-$here/target/release/pach}")
if [ -n "${PACH_BASE:-}" ]; then
  BINS=(base new)
  declare -A BIN=([base]=$(abs "$PACH_BASE") [new]=$NEW)
else
  BINS=(pach)
  declare -A BIN=([pach]=$NEW)
fi
command -v b3sum > /dev/null || die "b3sum is missing (it is the hashing baseline): cargo install b3sum --locked"
command -v python3 > /dev/null || die "python3 is missing (the S3 counting proxy and a few sums need it)"
[[ $SIZE =~ ^[0-9]+$ && $SIZE -ge 8 ]] || die "SIZE_MiB must be a whole number >= 8"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a whole number >= 1"
if [ "$SIZE" -gt 1024 ]; then INS_MIB=1024; else INS_MIB=$((SIZE / 4)); fi

TMP=${TMPDIR:-/tmp}
need=$((15 * SIZE + 1024))
free=$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')
[ "$free" -ge "$need" ] || die "needs about $need MiB free in $TMP, has $free MiB"
W=$(mktemp -d "$TMP/pach-chunks.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that an interrupted bench still cleans up
mkdir -p "$W/res" "$W/src"

# Prints the seconds "$@" took; on failure shows its stderr and stops the bench.
t() {
  local s=$EPOCHREALTIME
  if ! "$@" > /dev/null 2> "$W/err"; then
    echo "bench/chunks.sh: failed: $*" >&2
    cat "$W/err" >&2
    exit 1
  fi
  awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }'
}
# Appends one run's value of a figure for the binary being measured ($B).
rec() { echo "$2" >> "$W/res/$B.$1"; }
# Times "${@:2}" into figure $1 (an assignment, so that a failure stops the bench).
rec_t() {
  local v
  v=$(t "${@:2}")
  rec "$1" "$v"
}
median() {
  [ -s "$W/res/$1" ] || return 0
  sort -g "$W/res/$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# Prints the peak RssAnon (KiB) of process $1 until it is gone. Builtins only, so that the
# sampling costs the measured command as little as possible.
sample() {
  local f=/proc/$1/status max=0 k v
  while [ -e "$f" ]; do
    { while read -r k v _; do
      if [ "$k" = RssAnon: ]; then
        [ "$v" -gt "$max" ] && max=$v
        break
      fi
    done < "$f"; } 2> /dev/null || true
    sleep 0.05
  done
  echo "$max"
}

# Times `pach add data && pach commit -m $1` into figure $2.t; with $3, also records the
# add's peak RssAnon as figure $3. The sampler runs beside pach, not in its way, so the time
# does not wait for its next tick.
add_commit() {
  local s=$EPOCHREALTIME pid spid=
  "$PACH" add -q data > /dev/null 2> "$W/err" &
  pid=$!
  if [ -n "${3:-}" ]; then
    sample "$pid" > "$W/rss" &
    spid=$!
  fi
  wait "$pid" || { cat "$W/err" >&2; die "pach add failed"; }
  "$PACH" commit -q -m "$1" > /dev/null 2> "$W/err" || { cat "$W/err" >&2; die "pach commit failed"; }
  rec "$2.t" "$(awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }')"
  if [ -n "$spid" ]; then
    wait "$spid"
    rec "$3" "$(cat "$W/rss")"
  fi
}

# Times a `cp` of the checked-out file right after checkout figure $1, as its own baseline.
cp_after() {
  sync
  rec_t "$1.cp.t" cp data/big.bin "$W/cp.bin"
  rm -f "$W/cp.bin"
  sync
}

# pach.db and its WAL are not in the store figures; a row shows them apart.
db_bytes() { du -cb .pach/pach.db* | awk 'END { print $1 }'; }
store_bytes() {
  find .pach -mindepth 1 -maxdepth 1 -type d ! -name tmp ! -name work -exec du -sb {} + |
    awk '{ s += $1 } END { printf "%.0f\n", s }'  # mawk prints big sums as 8.6e+09
}

# Directory remote: a file counts as written when it is new or its inode, size or mtime
# changed (pach writes a temp file and renames it, so rewrites get new inodes).
dir_snap() { { find "$R" -type f -printf '%i %s %T@ %p\n' 2> /dev/null || true; } | sort > "$1"; }
push_dir() {
  dir_snap "$W/before"
  rec_t "$1.dir.t" "$PACH" push -q d
  dir_snap "$W/after"
  read -r n b < <(comm -13 "$W/before" "$W/after" | awk '{ n++; b += $2 } END { printf "%d %.0f\n", n, b }')
  rec "$1.dir.files" "$n"
  rec "$1.dir.bytes" "$b"
}

# S3: the proxy's counters before and after, per method.
s3_snap() { curl -sf "http://127.0.0.1:$PPORT/__s3count__" > "$1"; }
push_s3() {
  [ -n "$PPORT" ] || return 0
  s3_snap "$W/before"
  rec_t "$1.s3.t" "$PACH" push -q s
  s3_snap "$W/after"
  read -r n b m < <(awk '
    NR == FNR { r[$1] = $2; y[$1] = $3; next }
    { dr = $2 - r[$1]; dy = $3 - y[$1]
      if ($1 == "total") { n = dr; b = dy } else if (dr) m = m sprintf("%s%s %d", m == "" ? "" : ",", $1, dr) }
    END { gsub(/ /, ":", m); printf "%d %.0f %s\n", n, b, (m == "" ? "-" : m) }' "$W/before" "$W/after")
  rec "$1.s3.req" "$n"
  rec "$1.s3.bytes" "$b"
  echo "$m" > "$W/res/$B.$1.s3.methods"
}

# Builds edit $1 of v1 at $W/edit.bin and moves it over the tracked file.
make_edit() {
  local f=$W/edit.bin v1=$W/src/big.bin
  case $1 in
    append) cp "$v1" "$f" && cat "$W/app.bin" >> "$f" ;;
    overwrite) cp "$v1" "$f" && dd if="$W/mid.bin" of="$f" bs=$MiB seek=$((SIZE / 2)) conv=notrunc status=none ;;
    insert) { head -c $((INS_MIB * MiB)) "$v1" && cat "$W/ins.bin" && tail -c +$((INS_MIB * MiB + 1)) "$v1"; } > "$f" ;;
  esac
  mv "$f" data/big.bin
  sync
}

# --- S3 server and counting proxy (once for the whole bench) ---
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  die "nothing answers on port $1"
}
PPORT=
if command -v s3s-fs > /dev/null; then
  SPORT=$(free_port)
  mkdir -p "$W/s3/bkt"
  s3s-fs --host 127.0.0.1 --port "$SPORT" --access-key test --secret-key testtest "$W/s3" > "$W/s3s.log" 2>&1 &
  PIDS+=($!)
  wait_port "$SPORT"
  PPORT=$(free_port)
  python3 "$here/bench/s3count.py" "$PPORT" "127.0.0.1:$SPORT" > "$W/proxy.log" 2>&1 &
  PIDS+=($!)
  wait_port "$PPORT"
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_REGION=us-east-1
  export AWS_ENDPOINT_URL=http://127.0.0.1:$PPORT
fi

# --- the data: v1, and the bytes the edits put in (the same for every binary and run) ---
head -c $((SIZE * MiB)) /dev/urandom > "$W/src/big.bin"
head -c $MiB /dev/urandom > "$W/app.bin"
head -c $MiB /dev/urandom > "$W/mid.bin"
head -c 100 /dev/urandom > "$W/ins.bin"
sync
b3sum --num-threads 2 "$W/src/big.bin" > /dev/null  # warm the page cache

# One run of every pach figure for binary $B, in a fresh project and fresh remotes.
measure() {
  local P=$W/p.$B prefix=$B.$1 v1
  PACH=${BIN[$B]}
  R=$W/r.$B
  rm -rf "$P" "$R" && mkdir -p "$P/data"
  cp "$W/src/big.bin" "$P/data/big.bin"
  cd "$P"
  "$PACH" init -q > /dev/null
  sync
  add_commit v1 v1 v1.rss
  rec v1.store "$(store_bytes)"
  rec v1.db "$(db_bytes)"
  v1=$("$PACH" log -n 1 --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print((d[0] if isinstance(d, list) else d)["id"])')
  "$PACH" remote add -q d "$R"
  [ -z "$PPORT" ] || "$PACH" remote add -q s "s3://bkt/$prefix"
  push_dir v1
  push_s3 v1
  for e in append overwrite insert; do
    make_edit "$e"
    local before rss=
    before=$(store_bytes)
    [ "$e" != append ] || rss=append.rss
    add_commit "edit: $e" "$e" "$rss"
    rec "$e.grow" $(($(store_bytes) - before))
    sync
    push_dir "$e"
    push_dir "$e.noop"
    push_s3 "$e"
    push_s3 "$e.noop"
  done
  rec end.db "$(db_bytes)"
  sync
  rec_t checkout.t "$PACH" checkout "$v1"
  cp_after checkout
  rec_t checkback.t "$PACH" checkout main
  cp_after checkback
  "$PACH" status > /dev/null
  rec_t status.t "$PACH" status
  cd "$W"
  rm -rf "$P" "$R" "$W/s3/bkt/$prefix"
  sync
}

for run in $(seq "$RUNS"); do
  B=base-line
  rec_t b3sum.t b3sum --num-threads 2 "$W/src/big.bin"
  rm -rf "$W/cpr" && sync
  rec_t cpr.t sh -c "cp -r '$W/src' '$W/cpr' && sync"
  rm -rf "$W/cpr" && sync
  rec_t cp.t cp "$W/src/big.bin" "$W/cp.bin"
  rm -f "$W/cp.bin" && sync
  order=("${BINS[@]}")
  if [ $((run % 2)) -eq 0 ] && [ ${#BINS[@]} -eq 2 ]; then order=("${BINS[1]}" "${BINS[0]}"); fi
  for B in "${order[@]}"; do
    echo "run $run/$RUNS: ${B}..." >&2
    measure "$run"
  done
done

# --- report ---
base_b3=$(median base-line.b3sum.t)
base_cpr=$(median base-line.cpr.t)
base_cp=$(median base-line.cp.t)
secs() { awk -v v="$1" 'BEGIN { printf(v < 10 ? "%.3f s" : "%.1f s", v) }'; }
mib() { awk -v v="$1" 'BEGIN { if (v < 1048576) printf "%d B", v; else printf "%.2f MiB", v / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }'; }
# One line: label, then figure $2 of each binary as formatted by $3 (secs, mib, kib, n),
# with the ratio to baseline $4 (a median time) when given, and new/base when there are two.
row() {
  local label=$1 key=$2 fmt=$3 bl=${4:-} line cell v
  line=$(printf '%-50s' "$label")
  local vals=()
  for B in "${BINS[@]}"; do
    v=$(median "$B.$key")
    vals+=("$v")
    if [ -z "$v" ]; then
      cell=SKIPPED
    else
      case $fmt in
        secs) cell=$(secs "$v") ;;
        mib) cell=$(mib "$v") ;;
        kib) cell="$((v / 1024)) MiB" ;;
        n) cell=$v ;;
      esac
      [ -z "$bl" ] || cell="$cell ($(ratio "$v" "$bl"))"
    fi
    line+=$(printf '%-30s' "$cell")
  done
  if [ ${#BINS[@]} -eq 2 ] && [ -n "${vals[0]}" ] && [ -n "${vals[1]}" ]; then
    line+=$(ratio "${vals[1]}" "${vals[0]}")
  fi
  echo "$line"
}
# Each checkout against a `cp` of the file it wrote, made right after it: on a VM whose freed
# memory goes back to the host, what a copy costs depends on which pages it lands on (a `cp`
# of 4 GiB took 2.4-12.9 s on one machine), so a baseline taken minutes earlier says little.
pairrow() {
  local label=$1 key=$2 line v c
  line=$(printf '%-50s' "$label")
  for B in "${BINS[@]}"; do
    v=$(median "$B.$key.t")
    c=$(median "$B.$key.cp.t")
    if [ -z "$v" ] || [ -z "$c" ]; then line+=$(printf '%-30s' SKIPPED); continue; fi
    line+=$(printf '%-30s' "$(secs "$c") ($(ratio "$v" "$c"))")
  done
  echo "$line"
}
# S3 requests beyond the no-op push that followed ($3 = count), or by method ($3 = methods).
s3row() {
  local label=$1 key=$2 what=$3 line cell n noop
  line=$(printf '%-50s' "$label")
  for B in "${BINS[@]}"; do
    n=$(median "$B.$key.s3.req")
    noop=$(median "$B.$key.noop.s3.req")
    if [ -z "$n" ]; then
      cell=SKIPPED
    elif [ "$what" = methods ]; then
      cell=$(tr , ' ' < "$W/res/$B.$key.s3.methods")
    else
      cell="+$((n - noop)) (of $n)"
    fi
    line+=$(printf '%-30s' "$cell")
  done
  echo "$line"
}

echo "== pach chunks bench: one file of $SIZE MiB of random bytes; medians of $RUNS run(s)"
for B in "${BINS[@]}"; do
  printf '   %-5s %s (%s)\n' "$B" "${BIN[$B]}" "$("${BIN[$B]}" --version 2> /dev/null | head -1)"
done
echo "   edits, each from v1, committed one after another: append 1 MiB; overwrite 1 MiB at"
echo "   $((SIZE / 2)) MiB; insert 100 bytes at $INS_MIB MiB. Ratios in () are to the baseline named."
[ -n "$PPORT" ] || echo "   S3: SKIPPED (no s3s-fs on PATH)"
echo
echo "baselines"
printf '  %-48s%s\n' "b3sum --num-threads 2 FILE (warm)" "$(secs "$base_b3")"
printf '  %-48s%s\n' "cp -r DIR COPY && sync" "$(secs "$base_cpr")"
printf '  %-48s%s\n' "cp FILE COPY" "$(secs "$base_cp")"
echo
header=$(printf '%-50s' "")
for B in "${BINS[@]}"; do header+=$(printf '%-30s' "$B"); done
[ ${#BINS[@]} -eq 1 ] || header+="new/base"
echo "$header"
row "v1: add+commit (vs cp -r && sync)" v1.t secs "$base_cpr"
row "  store after" v1.store mib
row "  pach.db* after (not in the store figures)" v1.db mib
row "  peak RssAnon of add" v1.rss kib
row "  push to dir: time" v1.dir.t secs
row "  push to dir: files written" v1.dir.files n
row "  push to dir: bytes written" v1.dir.bytes mib
row "  push to S3: time (through the proxy)" v1.s3.t secs
row "  push to S3: requests" v1.s3.req n
s3row "  push to S3: requests by method" v1 methods
row "  push to S3: bytes sent" v1.s3.bytes mib
for e in append overwrite insert; do
  case $e in
    append) what="append 1 MiB" ;;
    overwrite) what="overwrite 1 MiB at $((SIZE / 2)) MiB" ;;
    insert) what="insert 100 B at $INS_MIB MiB" ;;
  esac
  row "$what: add+commit (vs b3sum)" "$e.t" secs "$base_b3"
  row "  store growth" "$e.grow" mib
  [ "$e" != append ] || row "  peak RssAnon of add" append.rss kib
  row "  push to dir: time" "$e.dir.t" secs
  row "  push to dir: files written" "$e.dir.files" n
  row "  push to dir: bytes written" "$e.dir.bytes" mib
  row "  push to S3: time (through the proxy)" "$e.s3.t" secs
  s3row "  push to S3: requests beyond no-op push" "$e" count
  s3row "  push to S3: requests by method" "$e" methods
  row "  push to S3: bytes sent" "$e.s3.bytes" mib
done
row "pach.db* after the three edits" end.db mib
row "no-op push (after insert): dir files written" insert.noop.dir.files n
row "no-op push (after insert): dir bytes" insert.noop.dir.bytes mib
row "no-op push (after insert): S3 requests" insert.noop.s3.req n
row "no-op push (after insert): S3 bytes sent" insert.noop.s3.bytes mib
row "checkout v1 from insert (vs cp FILE)" checkout.t secs "$base_cp"
row "checkout main again (vs cp FILE)" checkback.t secs "$base_cp"
pairrow "  cp of v1 right after (checkout/cp)" checkout
pairrow "  cp of main right after (checkout/cp)" checkback
row "no-op status" status.t secs
