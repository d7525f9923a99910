#!/usr/bin/env bash
# The whole system on this machine, in one command (Debian 12, Node 20, root or sudo): installs what it needs
# (scripts/setup.sh), then scripts/demo.ts brings up a Samba AD DC set up as the guide's steps 1, 2 and 5 say,
# the Exchange stand-in (Apache + mod_auth_gssapi), a test CA with device certificates and the gateway; runs
# doctor; sends a good and a bad device's request. Nothing is left running when it ends or is interrupted.
# Usage: bash scripts/demo.sh [--keep]   (--keep: leave the system up until Ctrl-C, to try other certificates)
set -euo pipefail
cd "$(dirname "$0")/.."

# Samba needs its own loopback address and port 88-style privileges: run as root.
if [ "$(id -u)" -ne 0 ]; then
  echo "==> the demo runs Samba on its own loopback address, which needs root: re-running with sudo"
  exec sudo --preserve-env=PATH bash "$0" "$@"
fi

echo "==> installing what the demo needs (Debian packages, pnpm, the workspace): scripts/setup.sh"
bash scripts/setup.sh

# demo.ts runs in a process group of its own; on Ctrl-C, TERM or any exit the whole group is stopped
# (its Samba and Apache also stop by themselves when it dies: test/peers/run.ts's watchdog).
demo=
stop_demo() {
  trap - INT TERM EXIT
  if [ -n "$demo" ] && kill -0 "$demo" 2>/dev/null; then
    kill -TERM -- "-$demo" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$demo" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$demo" 2>/dev/null || true
  fi
}
trap 'stop_demo; exit 130' INT TERM
trap stop_demo EXIT

setsid node --import tsx scripts/demo.ts "$@" &
demo=$!
status=0
wait "$demo" || status=$?
exit "$status"
