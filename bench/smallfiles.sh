#!/usr/bin/env bash
# A million small files (issue 13): what pach costs on many small files, against the floors
# and git in the same run.
#
#   bench/smallfiles.sh [N (default 1000000)] [RUNS (default 1)]
#   PACH_BIN=path/to/pach      binary to measure (default target/release/pach)
#   PACH_BENCH_DVC=path/to/dvc DVC for the side-by-side lines (default the venv that
#                              ../shared/bench/setup.sh makes: ${TMPDIR:-/tmp}/pachbench/venv)
#
# The data: N files of 1-4 KiB of random bytes (sizes fixed by the file's number) in a tree of
# 64 x 64 directories (N/4096 files per leaf). K = 1000 of them (N/10 when N < 10000), spread
# over the tree, are then rewritten with new random bytes of another size.
#
# Figures are medians over RUNS; ratios are to the baseline named on the line:
#   1. `cp -r DATA COPY && sync`; `pach init` (not timed), `pach add . && pach commit -m v1`.
#   2. `git -c core.untrackedCache=true status` in a git repository holding the same files
#      committed (a hard-linked copy of DATA; its add and commit are not timed); a no-op
#      `pach status`, the first after the commit and a later one; the "file(s) read" line of
#      `pach -v status`, and the working-tree files a no-op status opens (strace, if it runs).
#   3. after rewriting the K files: `pach status`; `pach add . && pach commit -m v2` against
#      rewriting the same files in a copy plus a stat walk (`find COPY -printf %s`) plus sync;
#      `pach checkout HEAD~1` against writing the old bytes back plus the stat walk.
#   4. peak RSS (GNU time's maximum resident set size, else VmHWM sampled every 20 ms) of add,
#      commit, status, checkout, push and clone.
#   5. S3 (s3s-fs on PATH, else SKIPPED), through bench/s3count.py, a counting proxy: push of
#      v1, a push with nothing new, push of v2, clone, and a clone with `--path` of one
#      top-level directory (1/64 of the files): seconds, requests by kind, bytes.
#   6. DVC side by side (SKIPPED unless a dvc with dvc-s3 is installed, see above): `dvc add`,
#      `dvc push` and `dvc pull` of the same tree to the same server.
#
# Disk: about 12 x N x 4 KiB and 12 x N inodes free under ${TMPDIR:-/tmp} (data, copies, git,
# store, server, clones); checked first. Everything goes in one work dir there, removed on
# exit. Needs python3, git and curl.
set -euo pipefail
export LC_ALL=C  # $EPOCHREALTIME and awk must agree on the decimal point
here="$(cd "$(dirname "$0")/.." && pwd)"
N=${1:-1000000}
RUNS=${2:-1}
export PATH="$HOME/.cargo/bin:/root/.cargo/bin:$PATH"
export PACH_AUTHOR_NAME=bench PACH_AUTHOR_EMAIL=b@x
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=b@x GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=b@x
export GIT_CONFIG_NOSYSTEM=1 DVC_NO_ANALYTICS=1
ME=bench/smallfiles.sh

die() { echo "$ME: $*" >&2; exit 2; }
[[ $N =~ ^[1-9][0-9]*$ && $N -ge 100 ]] || die "N must be a whole number >= 100 (got '$N')"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a whole number >= 1 (got '$RUNS')"
PACH=${PACH_BIN:-$here/target/release/pach}
[ -x "$PACH" ] || die "no executable pach at $PACH (cargo build --release, or set PACH_BIN)"
PACH="$(cd "$(dirname "$PACH")" && pwd)/$(basename "$PACH")"
for c in python3 git curl; do
  command -v "$c" > /dev/null || die "$c is missing (apt-get install $c)"
done
K=1000
[ "$N" -ge 10000 ] || K=$((N / 10))

# --- room: files of 1-4 KiB take one 4 KiB block each; about 12 copies at the peak ---
TMP=${TMPDIR:-/tmp}
[ -d "$TMP" ] || die "TMPDIR $TMP is not a directory"
need_mib=$((12 * (N + 4200) * 4 / 1024 + 1024))
free_mib=$(df -Pm "$TMP" | awk 'NR == 2 { print $4 }')
[ "$free_mib" -ge "$need_mib" ] ||
  die "N=$N needs about $need_mib MiB free in $TMP, it has $free_mib MiB (use a smaller N or another TMPDIR)"
read -r inodes ifree < <(df -Pi "$TMP" | awk 'NR == 2 { print $2, $4 }')
need_inodes=$((12 * (N + 4200) + 10000))
# A file system without an inode table (btrfs) reports 0 inodes: nothing to check there.
if [ "$inodes" != 0 ] && [ "$inodes" != - ] && [ "$ifree" -lt "$need_inodes" ]; then
  die "N=$N needs about $need_inodes free inodes in $TMP, it has $ifree (df -i; use a smaller N or another TMPDIR)"
fi

W=$(mktemp -d "$TMP/pach-smallfiles.XXXXXX")
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that an interrupted bench still cleans up
mkdir -p "$W/res"
D=$W/data

# Prints the seconds "$@" took; on failure shows its stderr and stops the bench.
t() {
  local s=$EPOCHREALTIME
  if ! "$@" > /dev/null 2> "$W/err"; then
    echo "$ME: failed: $*" >&2
    cat "$W/err" >&2
    exit 1
  fi
  awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", b - a }'
}
# Appends one run's value of figure $1.
rec() { echo "$2" >> "$W/res/$1"; }
rec_t() {
  local v
  v=$(t "${@:2}")
  rec "$1" "$v"
}
last() { tail -n 1 "$W/res/$1"; }
median() {
  [ -s "$W/res/$1" ] || return 0
  sort -g "$W/res/$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

# Peak RSS: GNU time when it is there, else VmHWM read from /proc every 20 ms (until the
# process is gone: a zombie's status has no VmHWM, so the last value read stays).
GNU_TIME=
if /usr/bin/time -f %M -o "$W/rss" true 2> /dev/null && grep -qx '[0-9][0-9]*' "$W/rss"; then
  GNU_TIME=1
fi
hwm() {
  local f=/proc/$1/status max=0 k v
  while [ -e "$f" ]; do
    { while read -r k v _; do
      if [ "$k" = VmHWM: ]; then
        max=$v
        break
      fi
    done < "$f"; } 2> /dev/null || true
    sleep 0.02
  done
  echo "$max"
}
# Runs "${@:3}" (stdout discarded); records its seconds as figure $1 and, unless $2 is -, its
# peak RSS in KiB as figure $2. A failure shows its stderr and stops the bench.
m() {
  local fig=$1 rfig=$2 s e pid spid rc=0
  shift 2
  s=$EPOCHREALTIME
  if [ "$rfig" = - ]; then
    "$@" > /dev/null 2> "$W/err" || rc=$?
    e=$EPOCHREALTIME
  elif [ -n "$GNU_TIME" ]; then
    /usr/bin/time -f %M -o "$W/rss" "$@" > /dev/null 2> "$W/err" || rc=$?
    e=$EPOCHREALTIME
  else
    "$@" > /dev/null 2> "$W/err" &
    pid=$!
    hwm "$pid" > "$W/rss" &
    spid=$!
    wait "$pid" || rc=$?
    e=$EPOCHREALTIME
    wait "$spid"
  fi
  if [ "$rc" -ne 0 ]; then
    echo "$ME: failed (exit $rc) in $PWD: $*" >&2
    cat "$W/err" >&2
    exit 1
  fi
  rec "$fig" "$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f\n", b - a }')"
  [ "$rfig" = - ] || rec "$rfig" "$(tail -n 1 "$W/rss")"
}
# Records figure $1 as the sum of the last values of figures $2...
rec_sum() {
  local f=$1 v=0 x
  shift
  for x in "$@"; do v=$(awk -v a="$v" -v b="$(last "$x")" 'BEGIN { printf "%.3f\n", a + b }'); done
  rec "$f" "$v"
}

# --- S3 server and counting proxy (once for the whole bench), as bench/chunks.sh does ---
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
s3_snap() { curl -sf "http://127.0.0.1:$PPORT/__s3count__/ops" > "$1" || die "the S3 counting proxy does not answer"; }
# Records the requests between snapshots $W/s3a and $W/s3b as figures $1.{req,put,get,list,
# sent,recv} and keeps this run's requests by kind in $W/res/$1.kinds.
s3_rec() {
  local req put get list sent recv kinds
  read -r req put get list sent recv kinds < <(awk '
    NR == FNR { n[$1] = $2; s[$1] = $3; r[$1] = $4; next }
    { dn = $2 - n[$1]; ds = $3 - s[$1]; dr = $4 - r[$1]
      if ($1 == "total") { req = dn; sent = ds; recv = dr; next }
      if ($1 ~ /^PUT/) put += dn
      if ($1 == "GET") get += dn
      if ($1 == "LIST") list += dn
      if (dn) k = k sprintf("%s%s:%d", k == "" ? "" : ",", $1, dn) }
    END { printf "%d %d %d %d %.0f %.0f %s\n", req, put, get, list, sent, recv, (k == "" ? "-" : k) }' \
    "$W/s3a" "$W/s3b")
  rec "$1.req" "$req"
  rec "$1.put" "$put"
  rec "$1.get" "$get"
  rec "$1.list" "$list"
  rec "$1.sent" "$sent"
  rec "$1.recv" "$recv"
  echo "$kinds" > "$W/res/$1.kinds"
}
# Runs m "$@" with the proxy's counters read before and after, recorded as figures ${1%.t}.*.
m_s3() {
  s3_snap "$W/s3a"
  m "$@"
  s3_snap "$W/s3b"
  s3_rec "${1%.t}"
}

# --- DVC (optional) ---
DVC=${PACH_BENCH_DVC:-$TMP/pachbench/venv/bin/dvc}
DVC_MISSING=
DVC_PULL_FAILED=
if [ ! -x "$DVC" ]; then
  DVC_MISSING="no dvc at $DVC (../shared/bench/setup.sh makes that venv; or set PACH_BENCH_DVC)"
elif ! "$(dirname "$DVC")/python" -c 'import dvc_s3' 2> /dev/null; then
  DVC_MISSING="dvc-s3 is not installed beside $DVC ($(dirname "$DVC")/pip install dvc-s3)"
elif [ -z "$PPORT" ]; then
  DVC_MISSING="no S3 server (s3s-fs is not on PATH)"
fi

# --- the data: DATA, the K new versions (chg/) and their old bytes (old/) ---
echo "$ME: generating $N files under $W..." >&2
python3 - "$W" "$N" "$K" > "$W/bytes" << 'PY'
import os
import sys

w, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
P = 2654435761  # a prime larger than any N here: j -> j * P mod N visits distinct files


def rel(i):
    return "%02d/%02d/f%07d.bin" % (i % 64, (i // 64) % 64, i)


def size(i):
    return 1024 + (i * P) % 4294967296 % 3073  # 1024..4096 bytes


def write(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


for i in range(min(n, 4096)):
    os.makedirs(os.path.join(w, "data", os.path.dirname(rel(i))))
total = 0
for i in range(n):
    s = size(i)
    write(os.path.join(w, "data", rel(i)), os.urandom(s))
    total += s
changed = sorted((j * P) % n for j in range(k))
with open(os.path.join(w, "changed.list"), "w") as out:
    for i in changed:
        r = rel(i)
        out.write(r + "\n")
        for d in ("chg", "old"):
            os.makedirs(os.path.join(w, d, os.path.dirname(r)), exist_ok=True)
        with open(os.path.join(w, "data", r), "rb") as f:
            write(os.path.join(w, "old", r), f.read())
        write(os.path.join(w, "chg", r), os.urandom(1024 + (size(i) - 1024 + 1537) % 3073))
print(total)
PY
BYTES=$(cat "$W/bytes")
ndirs=$(cut -d/ -f1-2 "$W/changed.list" | sort -u | wc -l)

# The git repository for the status baseline: hard links to DATA (DATA is never written
# again, and git only reads it), added and committed once, then one status to fill the
# untracked cache.
echo "$ME: git add + commit of the same files (not timed)..." >&2
G=$W/git
cp -al "$D" "$G"
(
  cd "$G"
  git init -q
  git add -A
  git commit -q -m v1
  git -c core.untrackedCache=true status > /dev/null
)
sync

# strace's count of what a no-op status opens: working-tree files (successful opens that are
# not of directories, not in .pach/, not system files), and every open/openat.
strace_status() {
  command -v strace > /dev/null || { echo "SKIPPED (no strace)"; return 0; }
  if ! strace -f -qq -e trace=open,openat -o "$W/strace" "$PACH" status > /dev/null 2> "$W/strace.err"; then
    echo "SKIPPED (strace failed: $(head -n 1 "$W/strace.err"))"
    return 0
  fi
  awk '
    /open(at)?\(/ {
      all++
      if ($0 ~ /O_DIRECTORY/) { dirs++; next }
      if ($0 ~ /= -1 /) { failed++; next }
      if (!match($0, /"[^"]*"/)) next
      p = substr($0, RSTART + 1, RLENGTH - 2)
      if (p ~ /(^|\/)\.pach(\/|$)/ || (p ~ /^\// && p !~ /\/pach-smallfiles\./)) next
      files++
      if (ex == "") ex = p
    }
    END { printf "%d working-tree file(s) opened%s; %d open/openat calls in all (%d of directories, %d failed)\n",
      files, (ex == "" ? "" : " (first: " ex ")"), all, dirs, failed }' "$W/strace"
}

for run in $(seq "$RUNS"); do
  echo "$ME: run $run/$RUNS..." >&2
  # 1./3. baselines, in a copy of DATA
  rm -rf "$W/copy" && sync
  rec_t cpr.t sh -c "cp -r '$D' '$W/copy' && sync"
  rec_t write2.t sh -c "cp -r '$W/chg/.' '$W/copy/' && find '$W/copy' -printf '%s\n' && sync"
  rec_t write1.t sh -c "cp -r '$W/old/.' '$W/copy/' && find '$W/copy' -printf '%s\n'"
  rm -rf "$W/copy"
  # 2. git status
  (cd "$G" && git -c core.untrackedCache=true status > /dev/null)
  (cd "$G" && rec_t gitst.t git -c core.untrackedCache=true status)

  # 1. add + commit
  P=$W/p
  rm -rf "$P"
  cp -r "$D" "$P"
  sync
  cd "$P"
  "$PACH" init -q > /dev/null
  m add1.t add.rss "$PACH" add -q .
  m commit1.t commit.rss "$PACH" commit -q -m v1
  rec_sum v1.t add1.t commit1.t
  # 2. no-op status
  m status1.t - "$PACH" status
  m status.t status.rss "$PACH" status
  "$PACH" -v status 2>&1 > /dev/null | grep 'file(s) read' > "$W/vline" ||
    echo "(no \"file(s) read\" line in pach -v status)" > "$W/vline"
  strace_status > "$W/strace.line"
  # 5. push v1, then a push with nothing new
  if [ -n "$PPORT" ]; then
    "$PACH" remote add -q s3 "s3://bkt/run$run" > /dev/null
    m_s3 push1.t push.rss "$PACH" push -q s3 main
    m_s3 push0.t - "$PACH" push -q s3 main
  fi
  # 3. K files changed
  cp -r "$W/chg/." "$P/"
  m statuschg.t - "$PACH" status
  m add2.t - "$PACH" add -q .
  m commit2.t - "$PACH" commit -q -m v2
  rec_sum v2.t add2.t commit2.t
  [ -z "$PPORT" ] || m_s3 push2.t - "$PACH" push -q s3 main
  m checkout.t checkout.rss "$PACH" checkout -q HEAD~1
  while read -r f; do
    cmp -s "$W/old/$f" "$P/$f" || die "after pach checkout HEAD~1, $f is not its v1 bytes"
  done < "$W/changed.list"
  cd "$W"
  rm -rf "$P"
  # 5. clones
  if [ -n "$PPORT" ]; then
    m_s3 clone.t clone.rss "$PACH" clone -q "s3://bkt/run$run" "$W/c"
    [ "$(find "$W/c" -name '*.bin' | wc -l)" -eq "$N" ] ||
      die "the clone does not hold $N files"
    rm -rf "$W/c"
    m_s3 pclone.t - "$PACH" clone -q "s3://bkt/run$run" "$W/c" --path 00
    rec pclone.files "$(find "$W/c" -name '*.bin' | wc -l)"
    rm -rf "$W/c"
  fi
  # 6. DVC
  if [ -z "$DVC_MISSING" ]; then
    mkdir -p "$W/d"
    cp -r "$D" "$W/d/data"
    sync
    cd "$W/d"
    "$DVC" init -q --no-scm
    "$DVC" remote add -q -d s "s3://bkt/dvc$run"
    "$DVC" remote modify s endpointurl "$AWS_ENDPOINT_URL"
    m dvcadd.t - "$DVC" add -q data
    m_s3 dvcpush.t - "$DVC" push -q
    rm -rf .dvc/cache data
    # DVC's pull fails against some S3 servers (s3s-fs answers its HeadObject of the prefix
    # `files/md5` with 500): that is reported on its line, and the bench goes on.
    if ! (m_s3 dvcpull.t - "$DVC" pull) 2> "$W/dvcpull.err"; then
      DVC_PULL_FAILED=$(grep -m 1 ERROR "$W/dvcpull.err" || tail -n 1 "$W/dvcpull.err")
    fi
    cd "$W"
    rm -rf "$W/d"
  fi
  rm -rf "$W/s3/bkt/run$run" "$W/s3/bkt/dvc$run"
  sync
done

# --- report ---
secs() { awk -v v="$1" 'BEGIN { printf(v < 10 ? "%.3f s" : "%.1f s", v) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }'; }
mib() { awk -v v="$1" 'BEGIN { printf "%.1f MiB", v / 1048576 }'; }
# A line: label, the median of seconds figure $2, and its ratio to figure $3 named $4.
line() {
  local v b
  v=$(median "$2")
  if [ -z "$v" ]; then
    printf '  %-54s SKIPPED\n' "$1"
    return
  fi
  if [ -n "${3:-}" ]; then
    b=$(median "$3")
    printf '  %-54s %-10s %s %s\n' "$1" "$(secs "$v")" "$(ratio "$v" "$b")" "$4"
  else
    printf '  %-54s %s\n' "$1" "$(secs "$v")"
  fi
}
# Requests of S3 figure $1: total, by kind (this run's), bytes.
reqs() {
  [ -n "$PPORT" ] || return 0
  printf '  %-54s %s (%s PUT, %s GET, %s LIST; by kind: %s), %s sent, %s received\n' "  requests" \
    "$(median "$1.req")" "$(median "$1.put")" "$(median "$1.get")" "$(median "$1.list")" \
    "$(cat "$W/res/$1.kinds")" "$(mib "$(median "$1.sent")")" "$(mib "$(median "$1.recv")")"
}
rss() {
  local v
  v=$(median "$2")
  if [ -z "$v" ]; then printf '  %-54s SKIPPED\n' "$1"; else printf '  %-54s %d MiB\n' "$1" $((v / 1024)); fi
}

echo "== pach small-files bench (issue 13): N=$N files of 1-4 KiB ($(mib "$BYTES")) in 64 x 64 dirs; medians of $RUNS run(s)"
echo "   pach: $PACH ($("$PACH" --version 2> /dev/null | head -1))"
echo "   machine: $(nproc) cores, $(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(df --output=fstype "$TMP" 2> /dev/null | tail -n 1) at $TMP; $(git --version); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "   K=$K changed files, in $ndirs leaf dirs; ratios are to the baseline named on the line"
echo "1. add + commit of everything"
line "cp -r DATA COPY && sync (baseline)" cpr.t
line "pach add . && pach commit -m v1" v1.t cpr.t "cp -r && sync"
line "  of which add" add1.t cpr.t "cp -r && sync"
echo "2. no-op status"
line "git -c core.untrackedCache=true status (baseline)" gitst.t
line "pach status, first after the commit" status1.t gitst.t "git status"
line "pach status" status.t gitst.t "git status"
printf '  %-54s %s\n' "pach -v status says" "$(cat "$W/vline")"
printf '  %-54s %s\n' "strace of pach status" "$(cat "$W/strace.line")"
echo "3. $K files rewritten"
line "rewrite them in a copy + stat walk + sync (baseline)" write2.t
line "write the old bytes back + stat walk (baseline)" write1.t
line "pach status" statuschg.t gitst.t "git status (no-op)"
line "pach add . && pach commit -m v2" v2.t write2.t "rewrite + walk + sync"
line "pach checkout HEAD~1" checkout.t write1.t "write back + walk"
echo "4. peak RSS ($([ -n "$GNU_TIME" ] && echo "GNU time, maximum resident set size" || echo "VmHWM sampled every 20 ms"))"
rss "pach add . (v1)" add.rss
rss "pach commit (v1)" commit.rss
rss "pach status (no-op)" status.rss
rss "pach checkout HEAD~1" checkout.rss
rss "pach push (v1, S3)" push.rss
rss "pach clone (S3)" clone.rss
if [ -n "$PPORT" ]; then
  echo "5. S3 (s3s-fs behind bench/s3count.py)"
  p1=$(median push1.t)
  printf '  %-54s %-10s %s cp -r && sync (%s/s of file data)\n' "pach push s3 main (v1: $N files)" \
    "$(secs "$p1")" "$(ratio "$p1" "$(median cpr.t)")" "$(awk -v b="$BYTES" -v t="$p1" 'BEGIN { printf "%.1f MiB", b / 1048576 / t }')"
  reqs push1
  line "pach push s3 main, nothing new" push0.t push1.t "push of v1"
  reqs push0
  line "pach push s3 main (v2: $K files changed)" push2.t push1.t "push of v1"
  reqs push2
  line "pach clone" clone.t cpr.t "cp -r && sync"
  reqs clone
  line "pach clone --path 00 ($(median pclone.files) of $N files)" pclone.t clone.t "full clone"
  reqs pclone
else
  echo "5. S3: SKIPPED (no s3s-fs on PATH)"
fi
if [ -z "$DVC_MISSING" ]; then
  echo "6. DVC ($("$DVC" --version 2> /dev/null | head -1)), same server"
  line "dvc add data" dvcadd.t v1.t "pach add+commit"
  line "dvc push" dvcpush.t push1.t "pach push"
  reqs dvcpush
  if [ -n "$DVC_PULL_FAILED" ]; then
    printf '  %-54s FAILED: %s\n' "dvc pull (cache and data removed first)" "$DVC_PULL_FAILED"
  else
    line "dvc pull (cache and data removed first)" dvcpull.t clone.t "pach clone"
    reqs dvcpull
  fi
else
  echo "6. DVC: SKIPPED ($DVC_MISSING)"
fi
