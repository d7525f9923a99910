// One Samba DC and one MIT KDC per test run, shared by every test file (vitest runs files in several processes).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { MitKdc, type MitKdcInfo, startMitKdc } from './mit-kdc';
import { PeerError, sleep } from './run';
import { SambaDc, type SambaInfo, startSamba } from './samba';

/** What test/peers/global-setup.ts hands to the test processes. */
export interface PeerRun {
  /** Holds `<peer>.json` for each started peer, plus its lock. */
  runDir: string;
  /** The vitest main process: the daemons stop when it dies. */
  ownerPid: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kerbkitPeers: PeerRun;
  }
}

/** Enough for a first Samba provisioning on a busy 2-core machine. */
export const peerStartTimeoutMs = 900_000;

const started = new Map<string, Promise<unknown>>();

/** The run's Samba DC, started by whichever test process asks first. */
export function useSamba(): Promise<SambaDc> {
  return shared(
    'samba',
    (ownerPid) => startSamba({ ownerPid }),
    (info: SambaInfo) => new SambaDc(info),
  );
}

/** The run's MIT KDC, started by whichever test process asks first. */
export function useMitKdc(): Promise<MitKdc> {
  return shared(
    'mit-kdc',
    (ownerPid) => startMitKdc({ ownerPid }),
    (info: MitKdcInfo) => new MitKdc(info),
  );
}

function shared<I, P extends { info: I }>(
  name: string,
  start: (ownerPid: number) => Promise<P>,
  revive: (info: I) => P,
): Promise<P> {
  let peer = started.get(name) as Promise<P> | undefined;
  if (!peer) {
    peer = startOnce(name, start, revive);
    started.set(name, peer);
  }
  return peer;
}

async function startOnce<I, P extends { info: I }>(
  name: string,
  start: (ownerPid: number) => Promise<P>,
  revive: (info: I) => P,
): Promise<P> {
  const run = inject('kerbkitPeers');
  if (!run) {
    throw new PeerError('the peer harness needs vitest.config.ts globalSetup: test/peers/global-setup.ts');
  }
  const infoFile = join(run.runDir, `${name}.json`);
  const errorFile = join(run.runDir, `${name}.error`);
  try {
    // mkdir is atomic: exactly one test process starts the peer, the others wait for its JSON.
    mkdirSync(join(run.runDir, `${name}.lock`));
  } catch {
    return revive(await waitFor(infoFile, errorFile, name));
  }
  try {
    const peer = await start(run.ownerPid);
    writeFileSync(`${infoFile}.tmp`, JSON.stringify(peer.info));
    renameSync(`${infoFile}.tmp`, infoFile);
    return peer;
  } catch (err) {
    writeFileSync(errorFile, String((err as Error).message ?? err));
    throw err;
  }
}

async function waitFor<I>(infoFile: string, errorFile: string, name: string): Promise<I> {
  const deadline = Date.now() + peerStartTimeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(infoFile)) return JSON.parse(readFileSync(infoFile, 'utf8')) as I;
    if (existsSync(errorFile)) {
      throw new PeerError(
        `${name} failed to start (in another test process): ${readFileSync(errorFile, 'utf8')}`,
      );
    }
    await sleep(200);
  }
  throw new PeerError(`${name} was not started within ${peerStartTimeoutMs} ms by another test process`);
}
