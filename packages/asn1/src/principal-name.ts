// RFC 4120 section 5.2.2: PrincipalName.
import type { Codec } from './codec';
import { field, schemaCodec, sequenceOf } from './schema';

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

export const PrincipalName: Codec<PrincipalName> = schemaCodec('PrincipalName', [
  field(0, 'name-type', 'integer'),
  field(1, 'name-string', sequenceOf('kerberosString')),
]);
