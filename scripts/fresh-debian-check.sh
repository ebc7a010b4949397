#!/usr/bin/env bash
# Runs README.md's two commands ("The two commands") on a fresh, minimal Debian 12 and times each: a
# chroot made by `debootstrap --variant=minbase bookworm`, so nothing is there that scripts/install-deps.sh
# does not install. The repository is cloned at its committed HEAD (uncommitted changes are not in it)
# into DIR/root/pathways and the commands run there as root (a minimal Debian has no sudo), at nice 19.
# Usage: scripts/fresh-debian-check.sh     (as root; from the repository root or anywhere)
#   FRESH_DEBIAN_DIR=DIR        the chroot (default /tmp/fresh-debian); made when missing (debootstrap is
#                               installed with apt-get if need be), refused once the commands have run in
#                               it: it is no longer fresh (rm -rf DIR for a new one)
#   FRESH_DEBIAN_SETUP_ONLY=1   only makes the chroot and checks that apt-get works in it
#   FRESH_DEBIAN_FIRST_ONLY=1   runs the first command only (install, build, run), not scripts/test.sh
#   FRESH_DEBIAN_MIRROR=URL     the Debian mirror (default http://deb.debian.org/debian)
#   FRESH_DEBIAN_LOG=FILE       the log, appended to (default DIR.log)
# Prints each command's exit status and elapsed seconds (`date +%s`); exits 1 when either failed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${FRESH_DEBIAN_DIR:-/tmp/fresh-debian}
mirror=${FRESH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
log=${FRESH_DEBIAN_LOG:-$dir.log}
used=$dir/root/.fresh-debian-check-ran
# README.md's commands, exactly as written there (checked against it below).
first='scripts/install-deps.sh && cmake -S . -B build -G Ninja && cmake --build build -j2 --target pathways pathways_all_plugins && build/bin/pathways run scenarios/denver-scale-up.json --all-variants --force'
second='scripts/test.sh'

if [[ $(id -u) -ne 0 ]]; then
  echo "fresh-debian-check: run as root (debootstrap, mount and chroot need it)" >&2
  exit 2
fi
for command in "$first" "$second"; do
  grep -qxF "$command" "$repo/README.md" ||
    echo "fresh-debian-check: warning: README.md no longer has the line: $command" >&2
done
if [[ -e $used ]]; then
  echo "fresh-debian-check: $dir is not fresh (README commands ran in it); rm -rf $dir, or set FRESH_DEBIAN_DIR" >&2
  exit 2
fi
exec > >(tee -a "$log") 2>&1
echo "== fresh-debian-check $(date -u '+%Y-%m-%d %H:%M UTC'): $dir, repository $(git -C "$repo" rev-parse --short HEAD)"

# Mounted file systems come off whatever happens (rslave: unmounting them leaves the host's alone).
mounted=()
# shellcheck disable=SC2317  # called by the EXIT trap
unmount() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}" || true
  done
}
trap unmount EXIT
trap "exit 130" INT TERM

if [[ ! -e $dir/etc/debian_version ]]; then
  if ! command -v debootstrap >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi
  start=$(date +%s)
  debootstrap --variant=minbase bookworm "$dir" "$mirror"
  echo "debootstrap: $(($(date +%s) - start)) s"
fi
cp /etc/resolv.conf "$dir/etc/resolv.conf"
mount -t proc proc "$dir/proc"
mounted+=("$dir/proc")
for fs in sys dev; do
  mount --rbind "/$fs" "$dir/$fs"
  mounted+=("$dir/$fs")
  mount --make-rslave "$dir/$fs"
done

# in_chroot COMMAND: runs COMMAND with bash in the chroot, from the clone, with a clean environment.
in_chroot() {
  chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /bin/bash -c "$1"
}

in_chroot 'apt-get update -qq && apt-get install -qq --simulate hello >/dev/null' ||
  { echo "fresh-debian-check: apt-get does not work in $dir"; exit 1; }
echo "apt-get works in $dir"
if [[ ${FRESH_DEBIAN_SETUP_ONLY:-} == 1 ]]; then
  exit 0
fi

# The clone comes from outside: git is not on a minimal Debian, and installing it would bring packages in.
rm -rf "$dir/root/pathways"
git clone --quiet --no-hardlinks "$repo" "$dir/root/pathways"
git -C "$dir/root/pathways" checkout --quiet --detach "$(git -C "$repo" rev-parse HEAD)"
touch "$used"

status=0
summary=()
# timed NAME COMMAND: runs COMMAND in the clone at nice 19 and records its exit status and seconds.
timed() {
  local name=$1 command=$2 start rc
  echo "== $name: $command"
  start=$(date +%s)
  rc=0
  in_chroot "cd /root/pathways && nice -n 19 bash -c $(printf %q "$command")" || rc=$?
  summary+=("$name: exit $rc, $(($(date +%s) - start)) s")
  echo "${summary[-1]}"
  [[ $rc -eq 0 ]] || status=1
}
timed "first command" "$first"
if [[ ${FRESH_DEBIAN_FIRST_ONLY:-} != 1 ]]; then
  timed "second command" "$second"
fi
echo "== summary ($dir, log $log)"
printf '%s\n' "${summary[@]}"
exit $status
