#!/usr/bin/env bash
# Makes the small local image that the examples and tests run, when it is missing:
#   examples/wordcount/build-image.sh [TAG]        (default pach-test/busybox:1)
# Pulls busybox where a registry answers; otherwise imports a rootfs holding a static busybox
# (Debian: apt-get install busybox-static). Nothing else is needed.
set -euo pipefail
tag=${1:-pach-test/busybox:1}
docker image inspect "$tag" > /dev/null 2>&1 && exit 0
if [ "${PACH_NO_PULL:-}" != 1 ] && timeout 30 docker pull -q busybox:musl > /dev/null 2>&1; then
  docker tag busybox:musl "$tag"
  exit 0
fi
bb=""
for c in "${BUSYBOX:-}" /bin/busybox /usr/bin/busybox "$(command -v busybox || true)"; do
  if [ -n "$c" ] && [ -x "$c" ] && ! ldd "$c" > /dev/null 2>&1; then bb=$c; break; fi
done
if [ -z "$bb" ]; then
  echo "build-image: no registry answered and no static busybox was found;" >&2
  echo "  install one (Debian/Ubuntu: apt-get install busybox-static) or set BUSYBOX=/path" >&2
  exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# Explicit directory modes: without them the engine makes bin/ 0700 and a non-root user
# could run nothing.
install -d -m 0755 "$root/bin" "$root/etc"
install -d -m 1777 "$root/tmp"
install -m 0755 "$bb" "$root/bin/busybox"
for a in $("$bb" --list); do [ "$a" = busybox ] || ln -s busybox "$root/bin/$a"; done
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$root/etc/passwd"
tar -C "$root" -cf "$root.tar" .
docker import --change 'ENV PATH=/bin' "$root.tar" "$tag" > /dev/null
rm -f "$root.tar"
echo "built $tag from $bb"
