// GSS-API context flags (RFC 2744 3.9; RFC 4121 4.1.1.1 carries the first six in the authenticator).

export const ContextFlag = {
  DELEG: 0x01,
  MUTUAL: 0x02,
  REPLAY: 0x04,
  SEQUENCE: 0x08,
  CONF: 0x10,
  INTEG: 0x20,
  ANON: 0x40,
  DCE_STYLE: 0x1000,
  IDENTIFY: 0x2000,
  EXTENDED_ERROR: 0x4000,
} as const;
export type ContextFlag = (typeof ContextFlag)[keyof typeof ContextFlag];

/** Names of the flags set in `flags`, for logs and JSON. */
export function contextFlagNames(flags: number): string[] {
  return Object.entries(ContextFlag)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name);
}
