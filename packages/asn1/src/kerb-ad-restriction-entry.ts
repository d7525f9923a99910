// MS-KILE section 2.2.6: KERB-AD-RESTRICTION-ENTRY (ad-type 141).
import type { Codec } from './codec';
import { field, schemaCodec, sequenceOfCodec } from './schema';

/**
 * ```asn1
 * KERB-AD-RESTRICTION-ENTRY ::= SEQUENCE {
 *         restriction-type        [0] Int32,
 *         restriction             [1] OCTET STRING -- LSAP_TOKEN_INFO_INTEGRITY
 * }
 * ```
 * Windows puts a SEQUENCE OF these in the ad-data of AdType.kerbAdRestriction: use
 * `KerbAdRestrictionEntries` for that ad-data and `KerbAdRestrictionEntry` for one entry.
 */
export interface KerbAdRestrictionEntry {
  /** A RestrictionType value (0). */
  restrictionType: number;
  restriction: Uint8Array;
}

export const KerbAdRestrictionEntry: Codec<KerbAdRestrictionEntry> = schemaCodec(
  'KERB-AD-RESTRICTION-ENTRY',
  [field(0, 'restriction-type', 'integer'), field(1, 'restriction', 'octetString')],
);

export const KerbAdRestrictionEntries: Codec<KerbAdRestrictionEntry[]> = sequenceOfCodec(
  'KERB-AD-RESTRICTION-ENTRIES',
  KerbAdRestrictionEntry,
);
