#!/usr/bin/env bash
# Peak anonymous memory (RssAnon from /proc/PID/status, sampled every 50 ms) of pach commands
# that handle large data, for docs/PERFORMANCE.md. Needs Docker and the local test image
# (examples/wordcount/build-image.sh makes it).
#   bench/memory.sh [SECTION...]      (PACH=path/to/pach, default target/release/pach)
# Sections (default: all):
#   log   a stage printing 1 GiB of log: `pach run` (target: under 100 MiB) and `pach logs`
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
PACH=${PACH:-$here/target/release/pach}
"$here/examples/wordcount/build-image.sh" pach-test/busybox:1
W=$(mktemp -d "${TMPDIR:-/tmp}/pach-membench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Runs "$@" (stdout to /dev/null) and prints its peak RssAnon in KiB; fails if it fails.
peak() {
  "$@" > /dev/null 2> "$W/stderr" &
  local pid=$! max=0 v
  while kill -0 "$pid" 2> /dev/null; do
    v=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status" 2> /dev/null || true)
    if [ -n "$v" ] && [ "$v" -gt "$max" ]; then max=$v; fi
    sleep 0.05
  done
  if ! wait "$pid"; then
    cat "$W/stderr" >&2
    return 1
  fi
  echo "$max"
}

mib() { echo "$(( $1 / 1024 )) MiB"; }

section_log() {
  echo "== log: one datum printing 1 GiB of log"
  rm -rf "$W/p" && mkdir -p "$W/p/data/in" && cd "$W/p"
  echo x > data/in/x
  cat > pach.toml <<'TOML'
[[stage]]
name = "loud"
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "yes 'a line of a very talkative stage, 64 bytes with its newline....' | head -c 1073741824; echo done > /pach/out/done"]
output = "out"
[[stage.input]]
name = "x"
path = "data/in"
TOML
  "$PACH" init -q && "$PACH" add -q data && "$PACH" commit -q -m data
  for r in 1 2 3; do
    local t0 t1 kib
    t0=$(date +%s.%N)
    kib=$(peak "$PACH" run -q --force)
    t1=$(date +%s.%N)
    echo "run $r: pach run peak RssAnon $(mib "$kib") ($kib KiB), $(echo "$t1 - $t0" | bc -l | xargs printf '%.1f') s"
  done
  local kib
  kib=$(peak "$PACH" logs loud)
  echo "pach logs loud: peak RssAnon $(mib "$kib") ($kib KiB), $("$PACH" logs loud | wc -c) bytes printed"
}

sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(log)
for s in "${sections[@]}"; do
  case $s in
    log) section_log ;;
    *) echo "bench/memory.sh: unknown section \`$s\` (known: log)" >&2; exit 2 ;;
  esac
done
