#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine with Node 20 (run as root, or
# with sudo available): the interop peers from Debian's packages, pnpm, and the workspace's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Interop peers (see ../shared/INTEROP.md): Samba AD DC and MIT KDC as KDCs, MIT client tools,
# Apache + mod_auth_gssapi as the Exchange stand-in, python3-gssapi as a reference GSS peer,
# libkrb5-dev for the benchmark's C harness against MIT's library.
peers=(samba samba-ad-dc krb5-user krb5-kdc krb5-admin-server ldb-tools winbind
  apache2 libapache2-mod-auth-gssapi python3-gssapi libkrb5-dev gcc curl openssl iproute2)
missing=()
for p in "${peers[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  # The packages' own daemons are not wanted: the tests start private instances on loopback.
  echo exit 101 | sudo_if_needed tee /usr/sbin/policy-rc.d >/dev/null
  sudo_if_needed chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq "${missing[@]}" >/dev/null
  sudo_if_needed rm -f /usr/sbin/policy-rc.d
fi

# Test host names (HTTP SPNs are built from them) resolve to loopback; the KDCs need no names.
hosts=(eas.kerbkit.test seg.kerbkit.test mail.kerbkit.test dc1.kerbkit.test
  eas.corp.example.test seg.corp.example.test mail.corp.example.test dc1.corp.example.test dc2.corp.example.test)
missing_hosts=()
for h in "${hosts[@]}"; do grep -qE "^[^#]*[[:space:]]${h//./\\.}([[:space:]]|$)" /etc/hosts || missing_hosts+=("$h"); done
if [ ${#missing_hosts[@]} -gt 0 ]; then
  echo "127.0.0.1 ${missing_hosts[*]} # kerbkit tests" | sudo_if_needed tee -a /etc/hosts >/dev/null
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  npm install -g --silent "pnpm@$pnpm_version"
fi
pnpm install --frozen-lockfile --reporter=silent
