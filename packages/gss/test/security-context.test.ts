// An established context's per-message calls: both directions, a reflected token, and expiry checked on
// every call (the per-direction keys are made once per context; the expiry check must not go with them).
import { EtypeId, getEtype } from '@kerbkit/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeOf } from '../../../test/support/fuzz';
import { GssErrorCode } from '../src/errors';
import { ContextFlag } from '../src/flags';
import { SecurityContext } from '../src/security-context';

const etype = getEtype(EtypeId.AES256_CTS_HMAC_SHA1_96);
const name = { nameType: 1, nameString: ['alice'], realm: 'KERBKIT.TEST' };

/** An initiator and an acceptor sharing one session key, expiring at `expires`. */
function pair(expires: Date): { initiator: SecurityContext; acceptor: SecurityContext } {
  const shared = {
    flags: ContextFlag.REPLAY | ContextFlag.SEQUENCE | ContextFlag.CONF | ContextFlag.INTEG,
    initiatorName: name,
    acceptorName: { ...name, nameString: ['HTTP', 'mail.kerbkit.test'] },
    sessionKey: { keytype: etype.id, keyvalue: etype.randomKey() },
    sendSeq: 0,
    recvSeq: 0,
    expires,
  };
  return {
    initiator: new SecurityContext({ ...shared, isInitiator: true }),
    acceptor: new SecurityContext({ ...shared, isInitiator: false }),
  };
}

const message = new TextEncoder().encode('<Sync/>');

afterEach(() => {
  vi.useRealTimers();
});

describe('SecurityContext', () => {
  it('wraps and signs in both directions, and refuses a token reflected to its sender', () => {
    const { initiator, acceptor } = pair(new Date(Date.now() + 3_600_000));
    for (const seal of [true, false]) {
      expect(acceptor.unwrap(initiator.wrap(message, seal))).toEqual({ message, sealed: seal });
      expect(initiator.unwrap(acceptor.wrap(message, seal))).toEqual({ message, sealed: seal });
    }
    acceptor.verifyMic(message, initiator.getMic(message));
    initiator.verifyMic(message, acceptor.getMic(message));
    expect(codeOf(() => initiator.unwrap(initiator.wrap(message)))).toBe(GssErrorCode.BAD_SIG);
  });

  it('refuses every per-message call once the context has expired, after its keys were first used', () => {
    vi.useFakeTimers({ now: new Date('2026-12-03T12:00:00Z') });
    const { initiator, acceptor } = pair(new Date('2026-12-03T13:00:00Z'));
    acceptor.unwrap(initiator.wrap(message));
    const mic = initiator.getMic(message);
    const token = initiator.wrap(message);
    vi.setSystemTime(new Date('2026-12-03T13:00:01Z'));
    expect(codeOf(() => initiator.wrap(message))).toBe(GssErrorCode.CONTEXT_EXPIRED);
    expect(codeOf(() => initiator.getMic(message))).toBe(GssErrorCode.CONTEXT_EXPIRED);
    expect(codeOf(() => acceptor.unwrap(token))).toBe(GssErrorCode.CONTEXT_EXPIRED);
    expect(codeOf(() => acceptor.verifyMic(message, mic))).toBe(GssErrorCode.CONTEXT_EXPIRED);
  });
});
