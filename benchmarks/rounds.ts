// Timing helpers shared by the benchmarks: rounds that alternate kerbkit and a peer, medians, quantiles,
// ratios, and the machine and load each figure was measured on.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** The nearest-rank quantile `q` (0.5, 0.99) of latencies. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))] as number;
}

/** The median of the per-round ratios `a[i] / b[i]`: steadier than the ratio of the medians on a busy host. */
export const medianRatio = (a: number[], b: number[]): number =>
  median(a.map((value, i) => value / (b[i] as number)));

export interface RoundOptions {
  rounds: number;
  secondsPerRound: number;
  warmupSeconds: number;
}

/** Iterations of `op` that take about `secondsPerRound`, after running it long enough for the JIT to settle. */
export function calibrate(op: () => number, { secondsPerRound, warmupSeconds }: RoundOptions): number {
  let iterations = 1000;
  const warmUntil = process.hrtime.bigint() + BigInt(warmupSeconds * 1e9);
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) op();
    const end = process.hrtime.bigint();
    const seconds = Number(end - start) / 1e9;
    if (end > warmUntil && seconds > secondsPerRound / 4)
      return Math.ceil((iterations / seconds) * secondsPerRound);
    if (seconds < secondsPerRound / 4) iterations *= 2;
  }
}

/** One round of `op`: operations per second. */
export function nodeRound(op: () => number, iterations: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += op();
  const rate = iterations / (Number(process.hrtime.bigint() - start) / 1e9);
  return sink === -1 ? 0 : rate;
}

/**
 * kerbkit's `op` and the peer's rounds (`peerRound(n)` runs n operations and returns its operations per
 * second) alternate, so both see the same load on this shared machine; the medians, kerbkit's first, and
 * the median of the per-round ratios kerbkit / peer (steadier than the ratio of the medians on a busy host).
 */
export function alternating(
  op: () => number,
  peerRound: (iterations: number) => number,
  options: RoundOptions,
): [number, number, number] {
  const iterations = calibrate(op, options);
  const peerIterations = Math.ceil(peerRound(50_000) * options.secondsPerRound);
  const node: number[] = [];
  const peer: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    node.push(nodeRound(op, iterations));
    peer.push(peerRound(peerIterations));
    ratios.push((node[r] as number) / (peer[r] as number));
  }
  return [median(node), median(peer), median(ratios)];
}

/** Calls `op` for about `ms` milliseconds: operations per second (for ops too slow to calibrate). */
export function timedRound(op: () => unknown, ms: number): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    op();
    count++;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (count * 1000) / elapsed;
}

/** `timedRound` for an `op` that may be asynchronous: each call awaited, the clock read every 20. */
export async function timedRoundAsync(op: () => unknown, ms: number): Promise<number> {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 20; i++) await op();
    count += 20;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (count * 1000) / elapsed;
}

/**
 * One warm-up round of every op, then `rounds` rounds of all of them in turn (so kerbkit's ops and the
 * peer's see the same load): each op's operations per second, round by round.
 */
export async function interleavedRounds<K extends string>(
  ops: Record<K, () => unknown>,
  rounds: number,
  round: (op: () => unknown) => number | Promise<number>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(ops) as K[];
  const perRound = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (const name of names) await round(ops[name]);
  for (let r = 0; r < rounds; r++) {
    for (const name of names) perRound[name].push(await round(ops[name]));
  }
  return perRound;
}

/** The host's 1-minute load average, to report beside each figure measured on a shared machine. */
export const loadNow = (): number => Number(loadavg()[0]?.toFixed(2));

/** What the figures were measured on (the load average matters on these shared machines). */
export function machineInfo() {
  return {
    cpu: cpus()[0]?.model,
    cores: availableParallelism(),
    node: process.version,
    openssl: process.versions.openssl,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
  };
}

/** Writes benchmarks/results/NAME.json: the benchmark's name, the date and the machine, then `report`. */
export function writeResults(benchmark: string, report: Record<string, unknown>): void {
  const file = new URL(`results/${benchmark}.json`, import.meta.url);
  const results = { benchmark, date: new Date().toISOString(), machine: machineInfo(), ...report };
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
