// X.690 identifier octets used by Kerberos (single-byte tags only: every Kerberos tag number is below 31).

/** Universal tags, primitive unless noted. */
export const UniversalTag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  objectIdentifier: 0x06,
  enumerated: 0x0a,
  generalizedTime: 0x18,
  generalString: 0x1b,
  /** SEQUENCE and SEQUENCE OF, constructed. */
  sequence: 0x30,
} as const;

const contextConstructed = 0xa0;
const applicationConstructed = 0x60;
const maxLowTagNumber = 30;

/** The identifier of an EXPLICIT context tag `[n]` (constructed). */
export function contextTag(n: number): number {
  return contextConstructed | n;
}

/** The identifier of `[APPLICATION n]` (constructed). */
export function applicationTag(n: number): number {
  return applicationConstructed | n;
}

const universalNames: Record<number, string> = {
  [UniversalTag.boolean]: 'BOOLEAN',
  [UniversalTag.integer]: 'INTEGER',
  [UniversalTag.bitString]: 'BIT STRING',
  [UniversalTag.octetString]: 'OCTET STRING',
  [UniversalTag.objectIdentifier]: 'OBJECT IDENTIFIER',
  [UniversalTag.enumerated]: 'ENUMERATED',
  [UniversalTag.generalizedTime]: 'GeneralizedTime',
  [UniversalTag.generalString]: 'GeneralString',
  [UniversalTag.sequence]: 'SEQUENCE',
};

/** A tag for error messages: `SEQUENCE`, `[2]`, `[APPLICATION 11]`, or its hex value. */
export function tagName(tag: number): string {
  const universal = universalNames[tag];
  if (universal !== undefined) return universal;
  const number = tag & 0x1f;
  if (number <= maxLowTagNumber) {
    if ((tag & 0xe0) === contextConstructed) return `[${number}]`;
    if ((tag & 0xe0) === applicationConstructed) return `[APPLICATION ${number}]`;
  }
  return `tag 0x${tag.toString(16).padStart(2, '0')}`;
}
