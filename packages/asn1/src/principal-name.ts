// RFC 4120 section 5.2.2: PrincipalName.
import {
  type Codec,
  readInteger,
  readKerberosString,
  sequenceCodec,
  writeInteger,
  writeKerberosString,
} from './codec';
import type { DerReader } from './der-reader';
import type { DerWriter } from './der-writer';

/**
 * ```asn1
 * PrincipalName   ::= SEQUENCE {
 *         name-type       [0] Int32,
 *         name-string     [1] SEQUENCE OF KerberosString
 * }
 * ```
 */
export interface PrincipalName {
  /** A NameType value. */
  nameType: number;
  nameString: string[];
}

const readNames = (r: DerReader): string[] => r.sequenceOf(readKerberosString);
const writeNames = (w: DerWriter, names: string[]): void => w.sequenceOf(writeKerberosString, names);

export const PrincipalName: Codec<PrincipalName> = sequenceCodec(
  'PrincipalName',
  (r) => {
    const nameType = r.field(0, 'name-type', readInteger);
    const nameString = r.field(1, 'name-string', readNames);
    return { nameType, nameString };
  },
  (w, v) => {
    w.field(1, 'name-string', writeNames, v.nameString);
    w.field(0, 'name-type', writeInteger, v.nameType);
  },
);
