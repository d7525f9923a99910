import { ErrorCode, type KrbError, NameType } from '@kerbkit/asn1';
import { describe, expect, it } from 'vitest';
import { KdcError } from '../src/kdc-error';

const base: KrbError = {
  stime: new Date(Date.UTC(2026, 10, 25, 12, 10, 0)),
  susec: 250_000,
  errorCode: ErrorCode.KDC_ERR_PREAUTH_FAILED,
  realm: 'EXAMPLE.TEST',
  sname: { nameType: NameType.srvInst, nameString: ['krbtgt', 'EXAMPLE.TEST'] },
};

describe('KdcError', () => {
  it('names the error, the KDC and the request, keeps e-text and gives a hint', () => {
    const error = new KdcError({ ...base, eText: 'Preauthentication failed' }, '127.0.0.1:88', {
      request: 'AS-REQ for alice@EXAMPLE.TEST',
      localTimeMs: base.stime.getTime(),
    });
    expect(error.code).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(error.message).toBe(
      'KDC 127.0.0.1:88 refused the AS-REQ for alice@EXAMPLE.TEST: KDC_ERR_PREAUTH_FAILED (Preauthentication failed)',
    );
    expect(error.hint).toMatch(/wrong password or key/);
    expect(error.eText).toBe('Preauthentication failed');
    expect(error.kdc).toBe('127.0.0.1:88');
    expect(error.krbError.errorCode).toBe(24);
    expect(error.clockDifferenceMs).toBeUndefined();
  });

  it('reports the KDC time and how far the local clock is off for KRB_AP_ERR_SKEW', () => {
    const local = base.stime.getTime() - 3600 * 1000;
    const error = new KdcError({ ...base, errorCode: ErrorCode.KRB_AP_ERR_SKEW }, 'kdc:88', {
      request: 'AS-REQ',
      localTimeMs: local,
    });
    expect(error.code).toBe('KRB_AP_ERR_SKEW');
    expect(error.kdcTime.toISOString()).toBe('2026-11-25T12:10:00.250Z');
    expect(error.clockDifferenceMs).toBe(3600 * 1000 + 250);
    expect(error.message).toContain('KDC time 2026-11-25T12:10:00.250Z, local time 2026-11-25T11:10:00.000Z');
    expect(error.hint).toMatch(/3600 s behind the KDC's/);
  });

  it('has a hint for the common refusals', () => {
    for (const name of [
      'KDC_ERR_C_PRINCIPAL_UNKNOWN',
      'KDC_ERR_S_PRINCIPAL_UNKNOWN',
      'KDC_ERR_ETYPE_NOSUPP',
      'KDC_ERR_CLIENT_REVOKED',
      'KDC_ERR_BADOPTION',
    ] as const) {
      const error = new KdcError({ ...base, errorCode: ErrorCode[name] }, 'kdc:88', {
        request: 'x',
        localTimeMs: 0,
      });
      expect(error.code).toBe(name);
      expect(error.hint).toBeTruthy();
    }
  });
});
