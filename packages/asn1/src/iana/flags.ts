// KerberosFlags bit numbers: KDCOptions (RFC 4120 5.4.1, MS-SFU 2.2.5), TicketFlags (RFC 4120 5.3, RFC 6806,
// RFC 6112), APOptions (RFC 4120 5.5.1), PAC-OPTIONS (MS-KILE 2.2.10), S4UUserID options (MS-SFU 2.2.2).
// Flags are held as an unsigned 32-bit number; bit 0 is the most significant bit of the first octet.

export const KdcOption = {
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  allowPostdate: 5,
  postdated: 6,
  renewable: 8,
  optHardwareAuth: 11,
  /** MS-SFU: the client name comes from the additional ticket (S4U2Proxy). */
  cnameInAddlTkt: 14,
  canonicalize: 15,
  requestAnonymous: 16,
  disableTransitedCheck: 26,
  renewableOk: 27,
  encTktInSkey: 28,
  renew: 30,
  validate: 31,
} as const;

export const TicketFlag = {
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  mayPostdate: 5,
  postdated: 6,
  invalid: 7,
  renewable: 8,
  initial: 9,
  preAuthent: 10,
  hwAuthent: 11,
  transitedPolicyChecked: 12,
  okAsDelegate: 13,
  /** RFC 6806: the KDC supports encrypted padata in the reply. */
  encPaRep: 15,
  anonymous: 16,
} as const;

export const ApOption = {
  useSessionKey: 1,
  mutualRequired: 2,
} as const;

export const PacOption = {
  claims: 0,
  branchAware: 1,
  forwardToFullDc: 2,
  /** Resource-based constrained delegation (S4U2Proxy to an RBCD target). */
  resourceBasedConstrainedDelegation: 3,
} as const;

export const S4uOption = {
  checkLogonHourRestrictions: 1,
  useReplyKeyUsage: 2,
} as const;

const topBit = 0x80000000;
const lastBit = 31;

/** The mask of one flag bit (bit 0 is 0x80000000). */
export function flagMask(bit: number): number {
  if (!Number.isInteger(bit) || bit < 0 || bit > lastBit)
    throw new RangeError(`flag bit ${bit} is not in 0..31`);
  return topBit >>> bit;
}

/** Flags with exactly these bits set. */
export function flagsOf(...bits: number[]): number {
  let flags = 0;
  for (const bit of bits) flags = (flags | flagMask(bit)) >>> 0;
  return flags;
}

export function hasFlag(flags: number, bit: number): boolean {
  return (flags & flagMask(bit)) !== 0;
}

/** `flags` with `bit` set or cleared. */
export function withFlag(flags: number, bit: number, on = true): number {
  return (on ? flags | flagMask(bit) : flags & ~flagMask(bit)) >>> 0;
}

/** The names of the set bits, per a table such as TicketFlag; unnamed bits appear as `bit<n>`. */
export function flagNames(flags: number, table: Readonly<Record<string, number>>): string[] {
  const names: string[] = [];
  for (let bit = 0; bit <= lastBit; bit++) {
    if (!hasFlag(flags, bit)) continue;
    const name = Object.keys(table).find((key) => table[key] === bit);
    names.push(name ?? `bit${bit}`);
  }
  return names;
}
