#!/bin/sh
# Builds federa's tiny test guest into OUTDIR (default: ./guest): the Debian cloud kernel
# (linux-image-cloud-amd64) and a ~2.5 MB busybox initramfs (busybox-static) with the virtio
# network and block modules, pvpanic (panics reach QEMU), dropbear (dropbear-bin) for SSH
# logins, tests/vm/seqstream.c (built static with the host's cc) and tests/vm/init. Does
# nothing when OUTDIR is newer than this script, init and seqstream.c.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-guest}
if [ -f "$out/initrd.gz" ] && [ "$out/initrd.gz" -nt "$here/init" ] && [ "$out/initrd.gz" -nt "$0" ] &&
   [ "$out/initrd.gz" -nt "$here/seqstream.c" ]; then
  exit 0
fi
kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$kernel" ] || { echo "build_guest: no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)" >&2; exit 1; }
release=${kernel#/boot/vmlinuz-}
[ -x /bin/busybox ] || { echo "build_guest: no /bin/busybox (apt-get install busybox-static)" >&2; exit 1; }
[ -x /usr/sbin/dropbear ] || { echo "build_guest: no /usr/sbin/dropbear (apt-get install dropbear-bin)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/lib/mod" "$root/proc" "$root/sys" "$root/dev" "$root/federa"
cp /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/init" "$root/init"
cc -static -O2 -o "$root/bin/seqstream" "$here/seqstream.c"
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net virtio_blk pvpanic pvpanic-mmio; do
  module=$(find "/lib/modules/$release" -name "$m.ko*" | head -n 1)
  [ -n "$module" ] || { echo "build_guest: module $m missing for $release" >&2; exit 1; }
  case "$module" in
    *.xz) xz -dc "$module" > "$root/lib/mod/$m.ko" ;;
    *) cp "$module" "$root/lib/mod/$m.ko" ;;
  esac
done
# dropbear for SSH logins, with the shared libraries it needs (ldd)
mkdir -p "$root/sbin"
cp /usr/sbin/dropbear "$root/sbin/dropbear"
for lib in $(ldd /usr/sbin/dropbear | awk '/=>/ { print $3 } /^[[:space:]]*\// { print $1 }'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
mkdir -p "$out"
cp "$kernel" "$out/vmlinuz"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 > "$out/initrd.gz.tmp"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"
