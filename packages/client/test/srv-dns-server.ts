// A minimal DNS server (RFC 1035 §4, SRV per RFC 2782) answering SRV queries from a table, for locator tests.
import { createSocket } from 'node:dgram';

export interface SrvAnswer {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

const TYPE_SRV = 33;
const CLASS_IN = 1;
const RCODE_NXDOMAIN = 3;

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}

/** Starts a UDP DNS server on 127.0.0.1; names not in `records` get NXDOMAIN. */
export async function startSrvDnsServer(records: Record<string, SrvAnswer[]>) {
  const byName = new Map(Object.entries(records).map(([name, answers]) => [name.toLowerCase(), answers]));
  const socket = createSocket('udp4');
  const asked: string[] = [];
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    while (offset < query.length && query[offset] !== 0) {
      const length = query[offset] as number;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString());
      offset += 1 + length;
    }
    const questionEnd = offset + 5;
    const name = labels.join('.');
    asked.push(name);
    // Names compare case-insensitively (RFC 4343); resolvers may send them in any case.
    const answers = query.readUInt16BE(offset + 1) === TYPE_SRV ? byName.get(name.toLowerCase()) : undefined;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | (answers ? 0 : RCODE_NXDOMAIN), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers?.length ?? 0, 6);
    const body = (answers ?? []).map((answer) => {
      const target = encodeName(answer.target);
      const rr = Buffer.alloc(2 + 2 + 2 + 4 + 2 + 6);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(TYPE_SRV, 2);
      rr.writeUInt16BE(CLASS_IN, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(6 + target.length, 10);
      rr.writeUInt16BE(answer.priority, 12);
      rr.writeUInt16BE(answer.weight, 14);
      rr.writeUInt16BE(answer.port, 16);
      return Buffer.concat([rr, target]);
    });
    socket.send(Buffer.concat([header, query.subarray(12, questionEnd), ...body]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    asked,
    close: () => socket.close(),
  };
}
