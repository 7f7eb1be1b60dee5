#!/usr/bin/env bash
# Build hmsdr_<version>_amd64.deb around the single-file binary with Debian's own dpkg-deb (the same
# contents as nfpm.yaml, for machines without nfpm). Usage:
#   contrib/packaging/build-deb.sh [binary (default dist/sea/hmsdr)] [output dir (default dist)]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-dist/sea/hmsdr}
out=${2:-dist}
[ -x "$bin" ] || { echo "build-deb: $bin missing: run npm run build:sea first" >&2; exit 1; }
version=$("$bin" --version)
root=$(mktemp -d "${TMPDIR:-/tmp}/hmsdr-deb-XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"

install -D -m 0755 "$bin" "$root/usr/bin/hmsdr"
install -d -m 0755 "$root/etc/hmsdr"
"$bin" init -o "$root/etc/hmsdr/hmsdr.yaml" >/dev/null
# The schema line names the packaged schema, not the build machine's path.
sed -i '1s|^# yaml-language-server: \$schema=.*|# yaml-language-server: $schema=/usr/share/hmsdr/hmsdr.schema.json|' "$root/etc/hmsdr/hmsdr.yaml"
chmod 0640 "$root/etc/hmsdr/hmsdr.yaml"
install -D -m 0644 hmsdr.schema.json "$root/usr/share/hmsdr/hmsdr.schema.json"
install -D -m 0644 LICENSE "$root/usr/share/doc/hmsdr/copyright"
install -D -m 0644 contrib/systemd/hmsdr-rehearse.service "$root/usr/lib/systemd/system/hmsdr-rehearse.service"
install -D -m 0644 contrib/systemd/hmsdr-rehearse.timer "$root/usr/lib/systemd/system/hmsdr-rehearse.timer"
install -d -m 0700 "$root/var/lib/hmsdr"

install -d -m 0755 "$root/DEBIAN"
install -m 0755 contrib/packaging/preinstall.sh "$root/DEBIAN/preinst"
install -m 0755 contrib/packaging/postinstall.sh "$root/DEBIAN/postinst"
echo /etc/hmsdr/hmsdr.yaml >"$root/DEBIAN/conffiles"
cat >"$root/DEBIAN/control" <<CONTROL
Package: hmsdr
Version: $version
Architecture: amd64
Section: admin
Priority: optional
Maintainer: hmsdr maintainers <hmsdr@localhost>
Depends: postgresql-client, openssh-client, passwd
Installed-Size: $(du -sk "$root" | cut -f1)
Description: disaster recovery for Hive metastores in PostgreSQL and their HDFS data
 pg_dump, NameNode URI rewrite, SSH, restore into staging, verify, atomic swap,
 snapshot-diff DistCp. Single-file executable: no Node.js needed on the host.
CONTROL

mkdir -p "$out"
deb="$out/hmsdr_${version}_amd64.deb"
# gzip -1: the binary is mostly Node's runtime; xz would take minutes for a few MB less.
dpkg-deb -Zgzip -z1 --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
