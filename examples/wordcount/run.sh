#!/usr/bin/env bash
# The word-count pipeline end to end: a project in a temp dir, text files committed,
# `pach run`, the result shown; then one file changed and only its datum re-run.
#   examples/wordcount/run.sh [DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PACH=${PACH:-}
if [ -z "$PACH" ]; then
  root="$(cd "$here/../.." && pwd)"
  if [ -x "$root/target/release/pach" ]; then PACH="$root/target/release/pach"; else PACH=pach; fi
fi
# A relative PACH (`PACH=target/release/pach`) means relative to where the script was
# started; resolve it before changing directory. A bare name is looked up on PATH.
case "$PACH" in
  */*) PACH="$(cd "$(dirname "$PACH")" && pwd)/$(basename "$PACH")" ;;
esac
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/pach-wordcount.XXXXXX")}
"$here/build-image.sh" pach-test/busybox:1
mkdir -p "$dir/data" && cd "$dir"
cp -r "$here/text" data/text
cp "$here/pach.toml" .
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }
run "$PACH" init
run "$PACH" add data
run "$PACH" commit -m "three texts"
run "$PACH" run --dry-run
run "$PACH" run
run cat total/total.txt
printf 'and a fourth line of five words\n' >> data/text/fox.txt
run "$PACH" add data
run "$PACH" commit -m "a longer fox"
run "$PACH" run -v
run cat total/total.txt
run "$PACH" log --oneline
printf '\nwordcount done in %s\n' "$dir"
