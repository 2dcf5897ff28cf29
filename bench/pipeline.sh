#!/usr/bin/env bash
# Pipeline figures for docs/PERFORMANCE.md (needs Docker and the local test image, which
# examples/wordcount/build-image.sh makes):
#   - per-datum overhead: 200 trivial datums at -j 2, wall time / 200 (the command itself
#     does next to nothing, so all of it is overhead), against a container-per-datum baseline
#     of `docker run --rm` measured in the same run;
#   - a no-op `pach run` over 1,000 up-to-date datums (no container may start);
#   - changing 1 of 1,000 input files reruns exactly 1 datum.
#   bench/pipeline.sh            (PACH=path/to/pach, default target/release/pach)
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
