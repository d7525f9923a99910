// Private loopback addresses (127.0.0.N on lo) for daemons that bind fixed ports, such as Samba's LDAP.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PeerError, processAlive, run } from './run';

// One claim file per address, holding the owner's pid, so that parallel test runs (and other
// worktrees on the same machine) never share an address. A claim whose owner died is taken over.
const claims = '/tmp/kerbkit-loopback';

export interface LoopbackAddress {
  address: string;
  /** True when this claim added the address to lo (and so removes it on release). */
  added: boolean;
}

/** Claims a free 127.0.0.N, adds it to lo when missing (needs root), and returns it. */
export async function claimLoopback(ownerPid: number): Promise<LoopbackAddress> {
  mkdirSync(claims, { recursive: true });
  const start = 100 + Math.floor(Math.random() * 150);
  for (let i = 0; i < 150; i++) {
    const address = `127.0.0.${100 + ((start - 100 + i) % 150)}`;
    if (!takeClaim(address, ownerPid)) continue;
    // Someone outside the claim files may still use it (for example a leftover daemon).
    if (!(await portFree(address, 389)) || !(await portFree(address, 88))) {
      rmSync(`${claims}/${address}`, { force: true });
      continue;
    }
    const added = await addToLo(address);
    return { address, added };
  }
  throw new PeerError('no free loopback address in 127.0.0.100-249');
}

export async function releaseLoopback(claim: LoopbackAddress): Promise<void> {
  if (claim.added)
    await run('ip', ['addr', 'del', `${claim.address}/8`, 'dev', 'lo'], { allowFailure: true });
  rmSync(`${claims}/${claim.address}`, { force: true });
}

function takeClaim(address: string, ownerPid: number): boolean {
  const file = `${claims}/${address}`;
  try {
    writeFileSync(file, String(ownerPid), { flag: 'wx' });
    return true;
  } catch {
    const holder = Number(readFileSync(file, 'utf8'));
    if (processAlive(holder)) return false;
    writeFileSync(file, String(ownerPid));
    return true;
  }
}

async function addToLo(address: string): Promise<boolean> {
  const shown = await run('ip', ['-4', 'addr', 'show', 'dev', 'lo']);
  if (shown.stdout.includes(` ${address}/`)) return false;
  const result = await run('ip', ['addr', 'add', `${address}/8`, 'dev', 'lo'], { allowFailure: true });
  if (result.code === 0) return true;
  if (result.stderr.includes('File exists')) return false;
  throw new PeerError(
    `cannot add ${address} to lo (${result.stderr.trim()}): the Samba peer needs root (or CAP_NET_ADMIN)`,
  );
}

/** Binding succeeds only when nobody listens there; an address not yet on lo counts as free. */
function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
    server.listen(port, address, () => server.close(() => resolve(true)));
  });
}
