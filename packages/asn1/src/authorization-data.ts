// RFC 4120 section 5.2.6 and 5.2.6.1: AuthorizationData and AD-IF-RELEVANT.
import type { Codec } from './codec';
import { field, schemaCodec, sequenceOfCodec } from './schema';

/**
 * ```asn1
 * AuthorizationData       ::= SEQUENCE OF SEQUENCE {
 *         ad-type         [0] Int32,
 *         ad-data         [1] OCTET STRING
 * }
 * ```
 */
export interface AuthorizationDataEntry {
  /** An AdType value. */
  adType: number;
  adData: Uint8Array;
}

export const AuthorizationDataEntry: Codec<AuthorizationDataEntry> = schemaCodec('AuthorizationDataEntry', [
  field(0, 'ad-type', 'integer'),
  field(1, 'ad-data', 'octetString'),
]);

export type AuthorizationData = AuthorizationDataEntry[];
export const AuthorizationData: Codec<AuthorizationData> = sequenceOfCodec(
  'AuthorizationData',
  AuthorizationDataEntry,
);

/** `AD-IF-RELEVANT ::= AuthorizationData`: the ad-data of an element with ad-type AdType.ifRelevant. */
export type AdIfRelevant = AuthorizationData;
export const AdIfRelevant: Codec<AdIfRelevant> = sequenceOfCodec('AD-IF-RELEVANT', AuthorizationDataEntry);
