// Registry tables: error names (RFC 4120 7.5.9), flag bits (KerberosFlags bit 0 is the top bit).
import {
  ErrorCode,
  errorCodeDescription,
  errorCodeName,
  flagMask,
  flagNames,
  hasFlag,
  TicketFlag,
  withFlag,
} from '@kerbkit/asn1';
import { describe, expect, it } from 'vitest';

describe('error codes', () => {
  it('looks names and meanings up by number', () => {
    expect(errorCodeName(24)).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(errorCodeName(ErrorCode.KRB_AP_ERR_SKEW)).toBe('KRB_AP_ERR_SKEW');
    expect(errorCodeName(13)).toBe('KDC_ERR_BADOPTION');
    expect(errorCodeName(93)).toBe('KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS');
    expect(errorCodeName(999)).toBe('KRB_ERR_UNKNOWN_999');
    expect(errorCodeDescription(37)).toBe('Clock skew too great');
    expect(errorCodeDescription(999)).toBeUndefined();
  });

  it('names every number once and describes each', () => {
    const values = Object.values(ErrorCode);
    expect(new Set(values).size).toBe(values.length);
    for (const code of values) expect(errorCodeDescription(code)).toBeTypeOf('string');
  });
});

describe('flags', () => {
  it('numbers bits from the most significant', () => {
    expect(flagMask(0)).toBe(0x80000000);
    expect(flagMask(TicketFlag.forwardable)).toBe(0x40000000);
    const flags = withFlag(withFlag(0, TicketFlag.forwardable), TicketFlag.preAuthent);
    expect(hasFlag(flags, TicketFlag.preAuthent)).toBe(true);
    expect(flagNames(flags, TicketFlag)).toEqual(['forwardable', 'preAuthent']);
    expect(flagNames(withFlag(flags, TicketFlag.forwardable, false) | 1, TicketFlag)).toEqual([
      'preAuthent',
      'bit31',
    ]);
    expect(() => flagMask(32)).toThrow(RangeError);
  });
});
