import { NameType, Ticket } from '@kerbkit/asn1';
import { decodeCcache, encodeCcache, type Principal } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import { CredentialStore } from '../src/credential-store';
import type { Credentials } from '../src/credentials';
import { tgsPrincipal } from '../src/principals';

const alice: Principal = { nameType: NameType.principal, nameString: ['alice'], realm: 'EXAMPLE.TEST' };
const http: Principal = {
  nameType: NameType.principal,
  nameString: ['HTTP', 'web.example.test'],
  realm: 'EXAMPLE.TEST',
};
const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function credentials(server: Principal, endOffsetS: number): Credentials {
  const decoded: Ticket = {
    realm: server.realm,
    sname: { nameType: server.nameType, nameString: server.nameString },
    encPart: { etype: 18, kvno: 2, cipher: new Uint8Array([1, 2, 3, 4]) },
  };
  return {
    client: alice,
    server,
    sessionKey: { keytype: 18, keyvalue: new Uint8Array(32).fill(7) },
    ticket: { bytes: Ticket.encode(decoded), decoded },
    flags: 0x40e10000,
    authtime: new Date(t0),
    starttime: new Date(t0),
    endtime: new Date(t0 + endOffsetS * 1000),
    renewTill: new Date(t0 + 7 * 86400 * 1000),
  };
}

describe('CredentialStore', () => {
  it('returns credentials by client and server until they expire, or earlier with a margin', () => {
    let now = t0 + 1000;
    const store = new CredentialStore({ now: () => now });
    store.put(credentials(tgsPrincipal('EXAMPLE.TEST'), 3600));
    store.put(credentials(http, 600));
    expect(store.tgt(alice)?.server.nameString).toEqual(['krbtgt', 'EXAMPLE.TEST']);
    expect(store.get(alice, http)).toBeDefined();
    expect(store.get(alice, http, { minRemainingMs: 10 * 60 * 1000 })).toBeUndefined();
    now = t0 + 700 * 1000;
    expect(store.get(alice, http)).toBeUndefined();
    expect(store.prune()).toBe(1);
    expect(store.size).toBe(1);
  });

  it('writes a version 4 ccache and reads the same credentials back', () => {
    const store = new CredentialStore({ now: () => t0 });
    store.put(credentials(tgsPrincipal('EXAMPLE.TEST'), 3600));
    store.put(credentials(http, 600));
    const bytes = encodeCcache(store.toCcache(alice, { kdcOffsetMs: -2500 }));
    const ccache = decodeCcache(bytes);
    expect(ccache.kdcOffset).toEqual({ seconds: -2, microseconds: -500_000 });
    const back = CredentialStore.fromCcache(ccache, { now: () => t0 }).list();
    expect(back.map(({ kdc: _kdc, ...rest }) => rest)).toEqual(
      store.list().map(({ kdc: _kdc, ticket, ...rest }) => ({
        ...rest,
        ticket: { bytes: ticket.bytes, decoded: { ...ticket.decoded, raw: ticket.bytes } },
      })),
    );
  });
});
