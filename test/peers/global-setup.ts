// vitest globalSetup: a run directory in which test processes start the shared peers, and their stop at the end.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type MitKdcInfo, stopMitKdc } from './mit-kdc';
import { type SambaInfo, stopSamba } from './samba';
import type {} from './shared';

export default function setup(project: TestProject): () => Promise<void> {
  // Peers start lazily (see shared.ts): a run without interop tests starts none.
  const runDir = mkdtempSync(join(tmpdir(), 'kk-peers-run-'));
  project.provide('kerbkitPeers', { runDir, ownerPid: process.pid });
  return async () => {
    await stopSharedPeers(runDir);
    rmSync(runDir, { recursive: true, force: true });
  };
}

/** Stops every peer recorded in the run directory. */
async function stopSharedPeers(runDir: string): Promise<void> {
  const stops: Promise<void>[] = [];
  for (const file of readdirSync(runDir)) {
    if (!file.endsWith('.json')) continue;
    const info = JSON.parse(readFileSync(join(runDir, file), 'utf8')) as SambaInfo | MitKdcInfo;
    stops.push(info.kind === 'samba' ? stopSamba(info) : stopMitKdc(info));
  }
  await Promise.all(stops);
}
