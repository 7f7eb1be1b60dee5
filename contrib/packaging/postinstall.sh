#!/bin/sh
# After unpacking: the runs directory belongs to the hmsdr user and nobody else reads it.
set -e
install -d -o hmsdr -g hmsdr -m 0700 /var/lib/hmsdr
chown root:hmsdr /etc/hmsdr/hmsdr.yaml && chmod 0640 /etc/hmsdr/hmsdr.yaml
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
exit 0
