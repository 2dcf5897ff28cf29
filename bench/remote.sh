#!/usr/bin/env bash
# Remote benchmark: push of shape S to a directory remote vs `cp -r && sync`, a no-op push,
# and push/pull through a local S3 server (s3s-fs, else moto_server) vs dvc push/pull to the
# same server. DVC needs the dvc-s3 plugin in its venv (pip install dvc-s3).
# Usage: bench/remote.sh [runs]   (needs a release build: cargo build --release)
set -euo pipefail
RUNS=${1:-3}
DATA=${PACH_BENCH_DATA:-/tmp/pachbench/data_S}
DVC=${PACH_BENCH_DVC:-/tmp/pachbench/venv/bin/dvc}
PACH=${PACH_BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/pach}
[ -d "$DATA" ] || { echo "SKIPPED: no bench data at $DATA (see ../shared/bench)"; exit 0; }
W=$(mktemp -d /tmp/pach-remote-bench.XXXX); trap 'rm -rf "$W"; [ -n "${SRV:-}" ] && kill $SRV' EXIT
export PACH_AUTHOR_NAME=bench PACH_AUTHOR_EMAIL=b@x
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $s" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bytes=$(du -sb "$DATA" | cut -f1)
mkdir -p "$W/p" && cp -r "$DATA" "$W/p/data" && (cd "$W/p" && $PACH init -q && $PACH add -q data && $PACH commit -q -m s)
for i in $(seq "$RUNS"); do
  rm -rf "$W/cp" "$W/r"; sync
  echo "$(t sh -c "cp -r '$DATA' '$W/cp' && sync")" >> "$W/cp.t"
  (cd "$W/p" && $PACH remote remove r >/dev/null 2>&1 || true; $PACH remote add r "$W/r" >/dev/null)
  echo "$(cd "$W/p" && t $PACH push r)" >> "$W/push.t"
  echo "$(cd "$W/p" && t $PACH push r)" >> "$W/noop.t"
done
echo "shape S: $bytes bytes"
echo "cp -r && sync:      $(median < "$W/cp.t") s"
echo "pach push (dir):    $(median < "$W/push.t") s"
echo "pach push (no-op):  $(median < "$W/noop.t") s"
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
if command -v s3s-fs >/dev/null; then
  mkdir -p "$W/s3/bkt"
  s3s-fs --host 127.0.0.1 --port "$PORT" --access-key test --secret-key testtest "$W/s3" >/dev/null 2>&1 & SRV=$!
  echo "S3 server: s3s-fs"; sleep 1
elif command -v moto_server >/dev/null; then
  moto_server -H 127.0.0.1 -p "$PORT" >/dev/null 2>&1 & SRV=$!
  sleep 2; curl -s -X PUT "http://127.0.0.1:$PORT/bkt" >/dev/null
  echo "S3 server: moto_server"
else
  echo "SKIPPED S3: neither s3s-fs nor moto_server"; exit 0
fi
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_ENDPOINT_URL=http://127.0.0.1:$PORT AWS_REGION=us-east-1
for i in $(seq "$RUNS"); do
  (cd "$W/p" && $PACH remote remove s >/dev/null 2>&1 || true; $PACH remote add s "s3://bkt/pach$i" >/dev/null)
  echo "$(cd "$W/p" && t $PACH push s)" >> "$W/s3push.t"
  rm -rf "$W/c"; echo "$(cd "$W" && t $PACH clone "s3://bkt/pach$i" c)" >> "$W/s3pull.t"
done
echo "pach push (S3):     $(median < "$W/s3push.t") s  ($(echo "$bytes / $(median < "$W/s3push.t") / 1048576" | bc) MiB/s)"
echo "pach clone (S3):    $(median < "$W/s3pull.t") s  ($(echo "$bytes / $(median < "$W/s3pull.t") / 1048576" | bc) MiB/s)"
[ -x "$DVC" ] || { echo "SKIPPED dvc: no $DVC"; exit 0; }
for i in $(seq "$RUNS"); do
  rm -rf "$W/d" && mkdir "$W/d" && cp -r "$DATA" "$W/d/data"
  (cd "$W/d" && git init -q && $DVC init -q && $DVC add -q data && $DVC remote add -d s "s3://bkt/dvc$i" \
    && $DVC remote modify s endpointurl "$AWS_ENDPOINT_URL" >/dev/null)
  echo "$(cd "$W/d" && t $DVC push)" >> "$W/dvcpush.t"
  (cd "$W/d" && rm -rf .dvc/cache data)
  echo "$(cd "$W/d" && t $DVC pull)" >> "$W/dvcpull.t"
done
echo "dvc push (S3):      $(median < "$W/dvcpush.t") s"
echo "dvc pull (S3):      $(median < "$W/dvcpull.t") s"
