// Timing helpers shared by the benchmarks that alternate kerbkit and a peer: calibrated rounds, medians.
import { loadavg } from 'node:os';

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

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

/** The host's 1-minute load average, to report beside each figure measured on a shared machine. */
export const loadNow = (): number => Number(loadavg()[0]?.toFixed(2));
