#!/bin/sh
# Before hmsdr's files are unpacked: the `hmsdr` system user and group that own /var/lib/hmsdr
# and run the systemd units (contrib/systemd). Idempotent: an existing user is left alone.
set -e
if ! getent group hmsdr >/dev/null 2>&1; then
  groupadd --system hmsdr
fi
if ! getent passwd hmsdr >/dev/null 2>&1; then
  useradd --system --gid hmsdr --home-dir /var/lib/hmsdr --no-create-home --shell /usr/sbin/nologin \
    --comment "hmsdr disaster recovery" hmsdr
fi
exit 0
