import { type Credentials, type Impersonation, ImpersonationCache, Impersonator } from '@kerbkit/client';
import { residentBytes, startGatewayChild, startHoldClient, startPlainProxy } from './gateway-peers';
import { benchKerberos, benchSetup } from './gateway-setup';
import { writeResults } from './rounds';

const users = Number(process.env.USERS ?? 100_000);
const held = Number(process.env.HELD ?? 5000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const setup = await benchSetup('gwmem', {
  backendConnectionsPerUser: held + 100,
  requestsPerUser: held + 100,
});

// 1. The ticket cache: one real S4U2Self + S4U2Proxy from Samba, then each cached user holds its own
// copy of it (its bytes, decoded fields and keys), as a real S4U answer for that user would.
const { client, identity, spn } = await benchKerberos(setup);
const impersonator = new Impersonator(client, identity);
const real = await impersonator.impersonate(setup.user, spn);
const copyFor = (creds: Credentials, name: string): Credentials => {
  const copy = structuredClone(creds);
  copy.client = { ...copy.client, nameString: [name] };
  return copy;
};
const cache = new ImpersonationCache(
  {
    clock: client.context.clock,
    resolve: (user, target) => impersonator.resolve(user, target),
    impersonate: async (user): Promise<Impersonation> => {
      const name = typeof user === 'string' ? user : (user.nameString[0] ?? '');
      return { ticket: copyFor(real.ticket, name), evidence: copyFor(real.evidence, name) };
    },
  },
  { maxEntries: users },
);
const before = await settle();
for (let i = 0; i < users; i += 1000) {
  await Promise.all(Array.from({ length: 1000 }, (_, j) => cache.get(`bench${i + j}`, spn)));
}
const after = await settle();
const hits = await Promise.all([cache.get('bench0', spn), cache.get(`bench${users - 1}`, spn)]);
if (hits.some((h) => h.ticket.client.nameString[0] === undefined)) throw new Error('cache lost entries');
/** Bytes of the distinct ArrayBuffers a value's typed arrays hold (views share theirs). */
function bufferBytes(value: unknown, seen = new Set<ArrayBufferLike>()): number {
  if (ArrayBuffer.isView(value)) {
    if (seen.has(value.buffer)) return 0;
    seen.add(value.buffer);
    return value.buffer.byteLength;
  }
  if (typeof value !== 'object' || value === null) return 0;
  return Object.values(value).reduce((total: number, v) => total + bufferBytes(v, seen), 0);
}
const perUser = {
  users,
  heapBytesPerUser: Math.round((after.heapUsed - before.heapUsed) / users),
  externalAndArrayBuffersPerUser: Math.round(
    (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / users,
  ),
  rssBytesPerUser: Math.round((after.rss - before.rss) / users),
  ticketBytes: real.ticket.ticket.bytes.length,
  evidenceBytes: real.evidence.ticket.bytes.length,
  /** What one real Impersonation's typed arrays keep alive (the replies they are views of). */
  retainedBufferBytes: bufferBytes(real),
};
console.log('cached users', perUser);

// 2. Held EAS Pings: the gateway and the plain proxy as their own processes, RSS before and after.
async function holdOn(name: string, url: string, pid: number, inFlight?: () => Promise<number>) {
  await sleep(2000);
  const idle = residentBytes(pid);
  const clientProcess = await startHoldClient(url, held, setup.device);
  if (inFlight) {
    for (let i = 0; i < 600 && (await inFlight()) < held; i++) await sleep(100);
  }
  await sleep(3000);
  const holding = residentBytes(pid);
  const stillHeld = inFlight ? await inFlight() : undefined;
  clientProcess.stop();
  console.log(name, { idle, holding, stillHeld });
  return {
    rssIdleBytes: idle,
    rssHoldingBytes: holding,
    bytesPerHeldConnection: Math.round((holding - idle) / held),
    stillHeld,
  };
}
const gateway = await startGatewayChild(setup.configFile, `${setup.dir}/gateway.log`);
// One request first, so the S4U chain and the per-user agent exist before the idle figure.
const warm = await startHoldClient(gateway.url, 1, setup.device);
await sleep(1000);
warm.stop();
const inFlight = async () => {
  const text = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
  return Number(/^kerbkit_gateway_requests_in_flight (\S+)/m.exec(text)?.[1] ?? 0);
};
const gatewayHeld = await holdOn('gateway', gateway.url, gateway.child.pid ?? 0, inFlight);
gateway.stop();
const plain = await startPlainProxy(
  { ...setup.server, ca: setup.server.clientCa },
  setup.backend.url,
  held + 100,
);
const plainHeld = await holdOn('plain proxy', plain.url, plain.child.pid ?? 0);
plain.stop();
await setup.stop();

const results = {
  samba: setup.samba,
  cachedUsers: perUser,
  heldConnections: held,
  gateway: gatewayHeld,
  plainProxy: plainHeld,
  ratioPerHeldConnection: Number(
    (gatewayHeld.bytesPerHeldConnection / plainHeld.bytesPerHeldConnection).toFixed(2),
  ),
};
writeResults('gateway-memory', results);
