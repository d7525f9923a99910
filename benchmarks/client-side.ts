// The client's own share of KDC exchanges: wall time per operation minus the KDC's share of its requests, which
// the recording relay of test/peers (kdc-relay.ts, in a process of its own: relay-process.ts) times. The KDC does
// the same work for both clients, so this is the part a client library can change.
import type { RelayProcess } from './relay-process';
import { median } from './rounds';

/** What a side's `count` operations in sequence took: wall time each, and the CPU time of all (its process's). */
export interface Timed {
  microseconds: number[];
  cpuMicroseconds: number;
}
export type Runner = (count: number) => Promise<Timed>;

/** `count` calls of `op` in sequence in this process, timed (kerbkit's side). */
export async function timeInProcess(op: () => Promise<unknown>, count: number): Promise<Timed> {
  const microseconds: number[] = [];
  let cpuMicroseconds = 0;
  for (let i = 0; i < count; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await op();
    microseconds.push((performance.now() - start) * 1000);
    const used = process.cpuUsage(cpu);
    cpuMicroseconds += used.user + used.system;
  }
  return { microseconds, cpuMicroseconds };
}

export interface ClientSide {
  /** Per operation, microseconds: wall time minus the KDC's share. */
  client: number[];
  /** Per operation, microseconds: the KDC's share (the sum over its requests). */
  kdc: number[];
  /** KDC requests per operation. */
  requests: number;
  /** CPU time per operation, microseconds: the client's own work, which the load inflates less than wall time. */
  cpu: number;
}

/** The first octet of the requests timed: AS-REQ ([APPLICATION 10]) or TGS-REQ ([APPLICATION 12]). */
export const AS_REQ = 0x6a;
export const TGS_REQ = 0x6c;

/**
 * Splits `count` operations' wall times by the requests the relay recorded meanwhile (the same number each);
 * requests of another kind (a peer's harness getting its TGT before its timed loop) are left out.
 */
async function measure(relay: RelayProcess, run: Runner, count: number, tag: number): Promise<ClientSide> {
  const before = (await relay.records(Number.MAX_SAFE_INTEGER)).total;
  const { microseconds: wall, cpuMicroseconds } = await run(count);
  const exchanges = (await relay.records(before)).records.filter((e) => e.tag === tag);
  const requests = exchanges.length / wall.length;
  if (!Number.isInteger(requests))
    throw new Error(`${exchanges.length} KDC exchanges for ${wall.length} operations`);
  const kdc = wall.map((_, i) =>
    exchanges.slice(i * requests, (i + 1) * requests).reduce((sum, e) => sum + e.kdcMicroseconds, 0),
  );
  return { client: wall.map((t, i) => t - (kdc[i] as number)), kdc, requests, cpu: cpuMicroseconds / count };
}

/**
 * kerbkit's and the peer's operations through one relay in alternating rounds (the same load for both on a
 * shared machine): medians of the client-side and KDC times and of the CPU time per operation (ms), and the
 * medians of the per-round ratios kerbkit / peer of both (above 1: kerbkit slower).
 */
export async function clientSideRounds(
  relay: RelayProcess,
  sides: { kerbkit: Runner; peer: Runner },
  rounds: number,
  perRound: number,
  tag: typeof AS_REQ | typeof TGS_REQ,
) {
  const all = { kerbkit: [] as ClientSide[], peer: [] as ClientSide[] };
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ours = await measure(relay, sides.kerbkit, perRound, tag);
    const theirs = await measure(relay, sides.peer, perRound, tag);
    all.kerbkit.push(ours);
    all.peer.push(theirs);
    ratios.push(median(ours.client) / median(theirs.client));
    cpuRatios.push(ours.cpu / theirs.cpu);
  }
  const ms = (us: number) => Number((us / 1000).toFixed(3));
  const summary = (side: ClientSide[]) => ({
    operations: side.length * perRound,
    kdcRequestsPerOperation: side[0]?.requests,
    clientMedianMs: ms(median(side.flatMap((s) => s.client))),
    kdcMedianMs: ms(median(side.flatMap((s) => s.kdc))),
    cpuMedianMs: ms(median(side.map((s) => s.cpu))),
  });
  return {
    kerbkit: summary(all.kerbkit),
    peer: summary(all.peer),
    clientRatio: Number(median(ratios).toFixed(2)),
    roundRatios: ratios.map((r) => Number(r.toFixed(2))),
    cpuRatio: Number(median(cpuRatios).toFixed(2)),
  };
}
