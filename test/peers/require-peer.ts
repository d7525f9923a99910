// The interop rule: a suite whose peers are missing is skipped with a message outside CI, and fails in CI.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { beforeAll, describe, it } from 'vitest';
import type { MitKdc } from './mit-kdc';
import { hasCommand, PeerError } from './run';
import type { SambaDc } from './samba';
import { peerStartTimeoutMs, useMitKdc, useSamba } from './shared';

/** What an interop suite can ask for. `samba` and `mit-kdc` are started (once per run) for the suite. */
export type PeerNeed =
  | 'samba'
  | 'mit-kdc'
  | 'mit-client'
  | 'python-gssapi'
  | 'python-samba'
  | 'mit-libkrb5'
  | 'apache'
  | 'curl';

const installHint = 'install the peers with `bash scripts/setup.sh`';

/** What is missing on this machine for each need (empty when it is there). */
const checks: Record<PeerNeed, () => string[]> = {
  samba: () => [
    ...commands(['samba', 'samba-tool', 'ldbmodify', 'ldbsearch', 'ip']),
    // Samba gets its own 127.0.0.N, which only root may add to lo.
    ...(process.getuid?.() === 0 ? [] : ['root (Samba needs its own loopback address)']),
  ],
  'mit-kdc': () => commands(['krb5kdc', 'kdb5_util', 'kadmin.local']),
  'mit-client': () => commands(['kinit', 'klist', 'kvno', 'kdestroy']),
  'python-gssapi': () =>
    spawnSync('/usr/bin/python3', ['-c', 'import gssapi']).status === 0 ? [] : ['python3-gssapi'],
  // Samba's Python bindings (its NDR codecs), installed with the samba package.
  'python-samba': () =>
    spawnSync('/usr/bin/python3', ['-c', 'import samba.dcerpc.krb5pac']).status === 0
      ? []
      : ['python3-samba'],
  // MIT's crypto library itself (krb5_c_*), loaded by python3 through ctypes.
  'mit-libkrb5': () =>
    spawnSync('/usr/bin/python3', ['-c', "import ctypes; ctypes.CDLL('libkrb5.so.3')"]).status === 0
      ? []
      : ['python3 with libkrb5.so.3 (libkrb5-3)'],
  apache: () => [
    ...commands(['apache2']),
    ...(existsSync('/usr/lib/apache2/modules/mod_auth_gssapi.so') ? [] : ['libapache2-mod-auth-gssapi']),
  ],
  curl: () =>
    /GSS-API/.test(spawnSync('curl', ['-V']).stdout?.toString() ?? '') ? [] : ['curl with GSS-API'],
};

function commands(names: string[]): string[] {
  return names.filter((name) => !hasCommand(name));
}

/** The peers missing for `needs`, by name (empty when all are installed). */
export function missingPeers(needs: PeerNeed[]): string[] {
  return [...new Set(needs.flatMap((need) => checks[need]()))];
}

/** CI=true (or any value but "false"/"0"): interop suites must run. */
export function inCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** The started peers of a suite; reading one the suite did not ask for throws. */
export interface InteropPeers {
  readonly samba: SambaDc;
  readonly mit: MitKdc;
}

/**
 * `describe` for a suite that talks to real peers. Starts (or joins) the run's Samba DC and MIT
 * KDC when `needs` lists them, before the suite's own `beforeAll` hooks; `peers.samba` and
 * `peers.mit` are usable inside hooks and tests. Missing peers: skip with a message, or fail in CI.
 */
export function describeInterop(name: string, needs: PeerNeed[], body: (peers: InteropPeers) => void): void {
  const missing = missingPeers(needs);
  const started: { samba?: SambaDc; mit?: MitKdc } = {};
  const peers: InteropPeers = {
    get samba() {
      return need(started.samba, 'samba');
    },
    get mit() {
      return need(started.mit, 'mit-kdc');
    },
  };
  if (missing.length > 0) {
    const message = `missing ${missing.join(', ')}: ${installHint}`;
    if (inCi()) {
      describe(name, () => {
        it('has its peers installed (CI=true: interop tests must run)', () => {
          throw new PeerError(`${name}: ${message}`);
        });
      });
    } else {
      console.warn(`interop suite skipped: ${name} (${message})`);
      describe.skip(`${name} [skipped: ${message}]`, () => body(peers));
    }
    return;
  }
  describe(name, () => {
    beforeAll(async () => {
      const [samba, mit] = await Promise.all([
        needs.includes('samba') ? useSamba() : undefined,
        needs.includes('mit-kdc') ? useMitKdc() : undefined,
      ]);
      if (samba) started.samba = samba;
      if (mit) started.mit = mit;
    }, peerStartTimeoutMs);
    body(peers);
  });
}

function need<T>(peer: T | undefined, name: PeerNeed): T {
  if (!peer)
    throw new PeerError(
      `this suite did not list '${name}' in describeInterop's needs (or it has not started)`,
    );
  return peer;
}

/**
 * A name no other test file uses, for accounts and SPNs in the shared KDCs: `prefix-` and six
 * random characters (prefix at most 13 characters, since sAMAccountName allows 20).
 */
export function uniqueName(prefix: string): string {
  if (prefix.length > 13) throw new RangeError(`uniqueName: prefix '${prefix}' is longer than 13 characters`);
  return `${prefix}-${randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6)}`;
}
