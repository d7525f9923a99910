// Public API of @kerbkit/pac: the MS-PAC (Privilege Attribute Certificate) in Kerberos tickets.

export { decodeAttributesInfo, encodeAttributesInfo, type PacAttributesInfo } from './attributes-info';
export { decodeClientInfo, encodeClientInfo, type PacClientInfo } from './client-info';
export { PacError, PacErrorCode } from './errors';
export { dateToFileTime, type FileTime, fileTimeNever, fileTimeToDate } from './filetime';
export {
  decodeKerbValidationInfo,
  encodeKerbValidationInfo,
  type GroupMembership,
  type KerbValidationInfo,
  type SidAndAttributes,
} from './kerb-validation-info';
export { decodePac, decodePacLazily, encodePac, type Pac, type PacBuffer, PacLimits } from './pac';
export { GroupAttribute, PacAttributeFlag, PacBufferType, UpnDnsFlag, UserFlag } from './pac-types';
export { decodeRequestor, encodeRequestor, type PacRequestor } from './requestor';
export {
  decodeS4uDelegationInfo,
  encodeS4uDelegationInfo,
  type S4uDelegationInfo,
} from './s4u-delegation-info';
export { type Sid, sidWithRid } from './sid';
export { decodeSignatureData, encodeSignatureData, type PacSignatureData } from './signature-data';
export { type PacSummary, summarizePac } from './summary';
export {
  checkClientInfo,
  findPac,
  readTicketPac,
  type TicketPacKeys,
  verifyTicketSignature,
} from './ticket-pac';
export { decodeUpnDnsInfo, encodeUpnDnsInfo, type UpnDnsInfo } from './upn-dns-info';
export {
  type PacVerifyOptions,
  verifyExtendedKdcSignature,
  verifyKdcSignature,
  verifyServerSignature,
} from './verify';
