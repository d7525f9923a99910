// ImpersonationCache against a stand-in for the S4U chain (counted calls, a settable clock); the same behaviour
// against the Samba AD DC is in test/interop/impersonation-samba.test.ts.
import { ErrorCode, NameType, type Ticket } from '@kerbkit/asn1';
import { type Principal, parsePrincipal } from '@kerbkit/files';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../src/credentials';
import {
  ImpersonationCache,
  type ImpersonationCacheOptions,
  type ImpersonationEvent,
  type ImpersonationSource,
} from '../src/impersonation-cache';
import { type ImpersonateOptions, type Impersonation, Impersonator } from '../src/impersonator';
import { KdcClient } from '../src/kdc-client';
import { KdcError } from '../src/kdc-error';
import { KeytabIdentity } from '../src/keytab-identity';
import { S4uRefusal } from '../src/s4u-errors';
import { KdcUnreachableError } from '../src/transport';

const realm = 'EXAMPLE.TEST';
const hour = 3_600_000;
const start = Date.UTC(2026, 11, 3, 12, 0, 0);

function credentials(client: Principal, server: Principal, startMs: number, lifetimeMs: number): Credentials {
  return {
    client,
    server,
    sessionKey: { keytype: 18, keyvalue: new Uint8Array(32) },
    ticket: { bytes: new Uint8Array(0), decoded: {} as Ticket },
    flags: 0,
    authtime: new Date(startMs),
    starttime: new Date(startMs),
    endtime: new Date(startMs + lifetimeMs),
    renewTill: undefined,
  };
}

function krbError(errorCode: number): KdcError {
  const stime = new Date(start);
  return new KdcError(
    { stime, susec: 0, errorCode, realm, sname: { nameType: 2, nameString: ['krbtgt', realm] } },
    '127.0.0.1:88',
    {
      request: 'S4U2Self',
      localTimeMs: start,
    },
  );
}

/** A stand-in for Impersonator: counts chains, answers with `lifetimeMs` tickets or throws `failWith`. */
class FakeS4u implements ImpersonationSource {
  now = start;
  chains = 0;
  lifetimeMs = 10 * hour;
  failWith: unknown;
  certificates: (Uint8Array | undefined)[] = [];
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => {};
  readonly clock = { now: () => this.now };

  /** Holds every chain until `open()`. */
  hold(): void {
    this.#gate = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  open(): void {
    this.#open();
  }

  /** Names as the real Impersonator resolves them (building one sends nothing). */
  readonly resolve = ((real: Impersonator) => real.resolve.bind(real))(
    new Impersonator(
      new KdcClient({ defaultRealm: realm }),
      new KeytabIdentity(new KdcClient(), `gw@${realm}`, []),
    ),
  );

  async impersonate(
    user: string | Principal,
    spn: string | Principal,
    options: ImpersonateOptions = {},
  ): Promise<Impersonation> {
    this.chains++;
    this.certificates.push(options.certificate);
    const names = this.resolve(user, spn);
    await this.#gate;
    const failure = this.failWith;
    options.onExchange?.({
      type: 'exchange',
      step: 'self',
      result: failure ? 'KDC_ERR_POLICY' : 'ok',
      durationMs: 1,
    });
    if (failure) throw failure;
    options.onExchange?.({ type: 'exchange', step: 'proxy', result: 'ok', durationMs: 1 });
    const service = parsePrincipal(`gw@${realm}`);
    return {
      evidence: credentials(names.user, service, this.now, this.lifetimeMs),
      ticket: credentials(names.user, names.target, this.now, this.lifetimeMs),
    };
  }
}

function setup(options: ImpersonationCacheOptions = {}) {
  const s4u = new FakeS4u();
  const events: ImpersonationEvent[] = [];
  const cache = new ImpersonationCache(s4u, { observer: (event) => events.push(event), ...options });
  const count = (type: ImpersonationEvent['type']) => events.filter((e) => e.type === type).length;
  return { s4u, cache, events, count };
}

describe('ImpersonationCache', () => {
  it('200 concurrent first requests for one user: one S4U chain, one S4U2Self and one S4U2Proxy exchange', async () => {
    const { s4u, cache, events, count } = setup();
    s4u.hold();
    const calls = Array.from({ length: 200 }, () => cache.get('alice', 'HTTP/mail.example.test'));
    s4u.open();
    const results = await Promise.all(calls);
    expect(s4u.chains).toBe(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]?.ticket.client.nameString).toEqual(['alice']);
    expect(results[0]?.evidence.server.nameString).toEqual(['gw']);
    expect(
      events
        .filter((e) => e.type === 'exchange')
        .map((e) => e.type === 'exchange' && `${e.step}:${e.result}`),
    ).toEqual(['self:ok', 'proxy:ok']);
    expect(count('miss')).toBe(200);
    await cache.get('alice@EXAMPLE.TEST', 'HTTP/mail.example.test@EXAMPLE.TEST');
    expect(count('hit')).toBe(1);
    expect(events.find((e) => e.type === 'hit')).toEqual({
      type: 'hit',
      user: 'alice@EXAMPLE.TEST',
      spn: 'HTTP/mail.example.test@EXAMPLE.TEST',
    });
    expect(s4u.chains).toBe(1);
  });

  it('keys by user and SPN: another user or another SPN is another chain', async () => {
    const { s4u, cache } = setup();
    await cache.get('alice', 'HTTP/a.example.test');
    await cache.get('bob', 'HTTP/a.example.test');
    await cache.get('alice', 'HTTP/b.example.test');
    await cache.get(
      { nameType: NameType.enterprise, nameString: ['alice@example.test'], realm },
      'HTTP/a.example.test',
    );
    expect(s4u.chains).toBe(4);
  });

  it('passes the certificate to the S4U chain', async () => {
    const { s4u, cache } = setup();
    const certificate = new Uint8Array([0x30, 0x00]);
    await cache.get('alice', 'HTTP/a.example.test', { certificate });
    expect(s4u.certificates).toEqual([certificate]);
  });

  it('refreshes in the background ahead of expiry, and never serves a ticket about to expire', async () => {
    const { s4u, cache, count } = setup({ refreshAheadMs: 5 * 60_000, minRemainingMs: 60_000 });
    const first = await cache.get('alice', 'HTTP/a.example.test');
    // 6 minutes left: served, no refresh yet.
    s4u.now = start + 10 * hour - 6 * 60_000;
    expect(await cache.get('alice', 'HTTP/a.example.test')).toBe(first);
    expect(s4u.chains).toBe(1);
    // 4 minutes left: still served, one refresh starts in the background (and only one).
    s4u.now = start + 10 * hour - 4 * 60_000;
    s4u.hold();
    expect(await cache.get('alice', 'HTTP/a.example.test')).toBe(first);
    expect(await cache.get('alice', 'HTTP/a.example.test')).toBe(first);
    expect(s4u.chains).toBe(2);
    s4u.open();
    await new Promise((resolve) => setImmediate(resolve));
    const refreshed = await cache.get('alice', 'HTTP/a.example.test');
    expect(refreshed).not.toBe(first);
    expect(refreshed.ticket.endtime.getTime()).toBe(s4u.now + 10 * hour);
    expect(count('miss')).toBe(1);
    // 30 seconds left (below minRemainingMs): the caller waits for a new ticket.
    s4u.now = refreshed.ticket.endtime.getTime() - 30_000;
    const renewed = await cache.get('alice', 'HTTP/a.example.test');
    expect(renewed).not.toBe(refreshed);
    expect(renewed.ticket.endtime.getTime() - s4u.now).toBeGreaterThan(60_000);
    expect(count('miss')).toBe(2);
    expect(s4u.chains).toBe(3);
  });

  it('refreshes a short-lived ticket at half its lifetime, not at every request', async () => {
    const { s4u, cache } = setup({ refreshAheadMs: 5 * 60_000, minRemainingMs: 10_000 });
    s4u.lifetimeMs = 4 * 60_000; // less than refreshAheadMs (a TGT near its end gives such tickets)
    await cache.get('alice', 'HTTP/a.example.test');
    s4u.now += 60_000;
    await cache.get('alice', 'HTTP/a.example.test');
    expect(s4u.chains).toBe(1);
    s4u.now += 90_000; // 90 s left of 4 min: under half
    await cache.get('alice', 'HTTP/a.example.test');
    expect(s4u.chains).toBe(2);
  });

  it('keeps at most maxEntries users, the least recently used dropped first', async () => {
    const { s4u, cache } = setup({ maxEntries: 2 });
    await cache.get('a', 'HTTP/x.example.test');
    await cache.get('b', 'HTTP/x.example.test');
    await cache.get('a', 'HTTP/x.example.test'); // a is used again
    await cache.get('c', 'HTTP/x.example.test'); // b goes
    expect(s4u.chains).toBe(3);
    await cache.get('a', 'HTTP/x.example.test');
    await cache.get('c', 'HTTP/x.example.test');
    expect(s4u.chains).toBe(3);
    await cache.get('b', 'HTTP/x.example.test');
    expect(s4u.chains).toBe(4);
  });

  for (const [name, error] of [
    ['KDC_ERR_POLICY (disabled user)', krbError(ErrorCode.KDC_ERR_POLICY)],
    ['KDC_ERR_C_PRINCIPAL_UNKNOWN', krbError(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN)],
    ['KDC_ERR_BADOPTION', krbError(ErrorCode.KDC_ERR_BADOPTION)],
    [
      'S4U_PROTOCOL_TRANSITION_NOT_ALLOWED',
      new S4uRefusal('S4U_PROTOCOL_TRANSITION_NOT_ALLOWED', 'no', 'yes'),
    ],
  ] as const) {
    it(`remembers the refusal ${name} for refusalTtlMs: no KDC request meanwhile`, async () => {
      const { s4u, cache, count } = setup({ refusalTtlMs: 30_000 });
      s4u.failWith = error;
      await expect(cache.get('off', 'HTTP/a.example.test')).rejects.toBe(error);
      for (let i = 0; i < 50; i++) await expect(cache.get('off', 'HTTP/a.example.test')).rejects.toBe(error);
      expect(s4u.chains).toBe(1);
      expect(count('refused')).toBe(50);
      s4u.now += 30_001;
      await expect(cache.get('off', 'HTTP/a.example.test')).rejects.toBe(error);
      expect(s4u.chains).toBe(2);
      s4u.now += 30_001;
      s4u.failWith = undefined; // enabled again
      await expect(cache.get('off', 'HTTP/a.example.test')).resolves.toBeDefined();
    });
  }

  it('does not remember a transport failure: the next request asks the KDC again', async () => {
    const { s4u, cache, count } = setup();
    s4u.failWith = new KdcUnreachableError(realm, []);
    await expect(cache.get('alice', 'HTTP/a.example.test')).rejects.toMatchObject({
      code: 'KDC_UNREACHABLE',
    });
    await expect(cache.get('alice', 'HTTP/a.example.test')).rejects.toMatchObject({
      code: 'KDC_UNREACHABLE',
    });
    expect(s4u.chains).toBe(2);
    expect(count('refused')).toBe(0);
  });

  it('a refusal during a background refresh drops the entry: a disabled user is cut off', async () => {
    const { s4u, cache, count } = setup({ refreshAheadMs: 5 * 60_000 });
    await cache.get('alice', 'HTTP/a.example.test');
    s4u.now = start + 10 * hour - 4 * 60_000;
    s4u.failWith = krbError(ErrorCode.KDC_ERR_CLIENT_REVOKED);
    await cache.get('alice', 'HTTP/a.example.test'); // served, refresh fails in the background
    await new Promise((resolve) => setImmediate(resolve));
    expect(count('refresh-failed')).toBe(1);
    await expect(cache.get('alice', 'HTTP/a.example.test')).rejects.toMatchObject({
      code: 'KDC_ERR_CLIENT_REVOKED',
    });
    expect(count('refused')).toBe(1);
  });

  it('refusalTtlMs 0 turns the negative cache off; invalidate forgets an entry', async () => {
    const { s4u, cache } = setup({ refusalTtlMs: 0 });
    s4u.failWith = krbError(ErrorCode.KDC_ERR_POLICY);
    await expect(cache.get('off', 'HTTP/a.example.test')).rejects.toBeInstanceOf(KdcError);
    await expect(cache.get('off', 'HTTP/a.example.test')).rejects.toBeInstanceOf(KdcError);
    expect(s4u.chains).toBe(2);
    s4u.failWith = undefined;
    await cache.get('alice', 'HTTP/a.example.test');
    await cache.invalidate('alice', 'HTTP/a.example.test');
    await cache.get('alice', 'HTTP/a.example.test');
    expect(s4u.chains).toBe(4);
  });

  it('uses another store through the ImpersonationStore interface (asynchronous too)', async () => {
    const map = new Map<string, Impersonation>();
    const store = {
      get: async (key: string) => map.get(key),
      set: async (key: string, value: Impersonation) => void map.set(key, value),
      delete: async (key: string) => map.delete(key),
    };
    const { s4u, cache } = setup({ store });
    await cache.get('alice', 'HTTP/a.example.test');
    expect([...map.keys()]).toEqual(['alice@EXAMPLE.TEST\u0000HTTP/a.example.test@EXAMPLE.TEST']);
    await cache.get('alice', 'HTTP/a.example.test');
    expect(s4u.chains).toBe(1);
  });

  it('refuses bad options with a typed error naming the option', () => {
    const s4u = new FakeS4u();
    expect(() => new ImpersonationCache(s4u, { maxEntries: 0 })).toThrow(
      expect.objectContaining({
        code: 'IMPERSONATION_CACHE_OPTION_INVALID',
        message: expect.stringContaining('maxEntries'),
      }),
    );
    expect(() => new ImpersonationCache(s4u, { refusalTtlMs: -1 })).toThrow(/refusalTtlMs/);
    expect(() => new ImpersonationCache(s4u, { minRemainingMs: Number.NaN })).toThrow(/minRemainingMs/);
  });
});
