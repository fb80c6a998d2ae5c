#!/usr/bin/env bash
# Run a command as root inside an Ubuntu-like root filesystem made from this machine's /usr, with no
# network: what a Gradescope autograder container is, for the bundle's tests.
#   run.sh RELEASE ROOT AUTOGRADER_DIR WHEELHOUSE COMMAND...   (ROOT: an empty folder to build it in)
# Started inside `unshare --mount --pid --net --fork` (new mount, process and network namespaces),
# so every mount below disappears with it. /usr is an overlay (writable, as in a container, and the
# host's stays untouched). RELEASE 22.04 removes Python's EXTERNALLY-MANAGED marker (22.04 has
# none); 24.04 keeps it, as Ubuntu 24.04 and Debian 12 ship it (PEP 668).
set -euo pipefail
release=$1 root=$2 autograder=$3 wheelhouse=$4
shift 4
mount -t tmpfs tmpfs "$root"
mkdir -p "$root"/{usr,etc,proc,dev,tmp,root,run,var/tmp,autograder,wheelhouse,.overlay}
mount -t tmpfs tmpfs "$root/.overlay"
mkdir "$root/.overlay/upper" "$root/.overlay/work"
mount -t overlay overlay -o "lowerdir=/usr,upperdir=$root/.overlay/upper,workdir=$root/.overlay/work" "$root/usr"
for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$root/$dir"; done  # a merged /usr, as on Ubuntu
if [[ "$release" == 22.04 ]]; then
    rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
fi
cp -a /etc/ld.so.cache /etc/ld.so.conf /etc/ld.so.conf.d "$root/etc/"
printf 'root:x:0:0:root:/root:/bin/bash\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"
printf 'NAME="Ubuntu %s (test root from the host'"'"'s /usr)"\nID=ubuntu\nVERSION_ID="%s"\n' "$release" "$release" > "$root/etc/os-release"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
for node in null zero full random urandom tty; do
    touch "$root/dev/$node"
    mount --bind "/dev/$node" "$root/dev/$node"
done
mkdir "$root/dev/shm"
mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"  # multiprocessing's semaphores live here
ln -s /proc/self/fd "$root/dev/fd"
mount --bind "$autograder" "$root/autograder"
mount --bind "$wheelhouse" "$root/wheelhouse"
exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheelhouse "$@"
