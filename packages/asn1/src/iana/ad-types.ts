// ad-type values: RFC 4120 section 7.5.4, RFC 6113, MS-KILE 2.2, MS-PAC.

export const AdType = {
  /** AD-IF-RELEVANT: AuthorizationData the recipient may ignore (RFC 4120 5.2.6.1). */
  ifRelevant: 1,
  intendedForServer: 2,
  intendedForApplicationClass: 3,
  kdcIssued: 4,
  andOr: 5,
  mandatoryTicketExtensions: 6,
  inTicketExtensions: 7,
  mandatoryForKdc: 8,
  initialVerifiedCas: 9,
  osfDce: 64,
  sesame: 65,
  osfDcePkiCertid: 66,
  /** AD-fx-fast-armor (RFC 6113). */
  fxFastArmor: 71,
  fxFastUsed: 72,
  /** AD-WIN2K-PAC: the MS-PAC. */
  win2kPac: 128,
  /** AD-ETYPE-NEGOTIATION (RFC 4537). */
  etypeNegotiation: 129,
  /** KERB-AD-RESTRICTION-ENTRY (MS-KILE 2.2.6). */
  kerbAdRestriction: 141,
  /** KERB-LOCAL (MS-KILE 2.2.4). */
  kerbLocal: 142,
  /** AD-AUTH-DATA-AP-OPTIONS (MS-KILE 2.2.13). */
  apOptions: 143,
  /** KERB-AUTH-DATA-TARGET-NAME (MS-KILE 2.2.14). */
  targetPrincipal: 144,
} as const;
export type AdType = (typeof AdType)[keyof typeof AdType];

/** LastReq lr-type values (RFC 4120 section 5.4.2): negative values apply to this KDC only. */
export const LastReqType = {
  none: 0,
  lastInitialTgt: 1,
  lastInitialRequest: 2,
  newestTgtIssue: 3,
  lastRenewal: 4,
  lastRequest: 5,
  passwordExpiration: 6,
  accountExpiration: 7,
} as const;

/** TransitedEncoding tr-type values (RFC 4120 section 5.3). */
export const TransitedType = {
  domainX500Compress: 1,
} as const;

/** KERB-AD-RESTRICTION-ENTRY restriction-type (MS-KILE 2.2.6: must be 0, LSAP_TOKEN_INFO_INTEGRITY). */
export const RestrictionType = {
  tokenInfoIntegrity: 0,
} as const;
