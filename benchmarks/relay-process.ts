// The recording KDC relay of test/peers (kdc-relay.ts) in a process of its own: a relay on the benchmark's event
// loop would add its forwarding work to kerbkit's measured time (kerbkit runs in this process) but not to MIT's
// (a process of its own, on the other core).
import { fork } from 'node:child_process';
import { startKdcRelay } from '../test/peers/kdc-relay';

/** What the benchmarks need of each exchange: the request's first octet (its message type) and the KDC's share. */
export interface RelayRecord {
  tag: number;
  kdcMicroseconds: number;
}

/** The child's answer to `{ since }`: the exchanges recorded from that index on, and how many there are in all. */
interface RecordsReply {
  total: number;
  records: RelayRecord[];
}

export interface RelayProcess {
  /** host:port for a krb5.conf `kdc =` line (TCP only). */
  kdc: string;
  /** The exchanges recorded from index `since` on, and the count of all so far. */
  records(since: number): Promise<RecordsReply>;
  close(): Promise<void>;
}

const CHILD_FLAG = '--relay-child';

/** Starts a relay to `upstream` (host:port) in a child process. */
export async function startRelayProcess(upstream: string): Promise<RelayProcess> {
  const child = fork(new URL(import.meta.url).pathname, [CHILD_FLAG, upstream], {
    execArgv: ['--import', 'tsx'],
  });
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`relay process exited (${code})`));
      child.once('exit', exited);
      child.once('message', (message) => {
        child.off('exit', exited);
        resolve(message as T);
      });
    });
  const { kdc } = await next<{ kdc: string }>();
  return {
    kdc,
    records: (since) => {
      const reply = next<RecordsReply>();
      child.send({ since });
      return reply;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

async function child(upstream: string): Promise<void> {
  const relay = await startKdcRelay(upstream);
  const send = (message: unknown) => process.send?.(message);
  send({ kdc: relay.kdc });
  process.on('message', ({ since }: { since: number }) => {
    const records = relay.exchanges
      .slice(since)
      .map((e) => ({ tag: e.request[0] as number, kdcMicroseconds: e.kdcMicroseconds }));
    send({ total: relay.exchanges.length, records } satisfies RecordsReply);
  });
  process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
}

if (process.argv[2] === CHILD_FLAG) await child(process.argv[3] as string);
