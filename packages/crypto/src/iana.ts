// Registry numbers: encryption types and checksum types (IANA "Kerberos Parameters", RFC 3961 section 8,
// RFC 3962, RFC 8009, RFC 4757) and key usage numbers (RFC 4120 7.5.1, RFC 4121 2, RFC 6113 5.4, MS-SFU, MS-PAC).

/** Encryption type numbers. Only the ones with an implementation here can be passed to getEtype. */
export const EtypeId = {
  DES_CBC_CRC: 1,
  DES_CBC_MD4: 2,
  DES_CBC_MD5: 3,
  DES3_CBC_SHA1: 16,
  AES128_CTS_HMAC_SHA1_96: 17,
  AES256_CTS_HMAC_SHA1_96: 18,
  AES128_CTS_HMAC_SHA256_128: 19,
  AES256_CTS_HMAC_SHA384_192: 20,
  RC4_HMAC: 23,
  RC4_HMAC_EXP: 24,
  CAMELLIA128_CTS_CMAC: 25,
  CAMELLIA256_CTS_CMAC: 26,
} as const;
export type EtypeId = (typeof EtypeId)[keyof typeof EtypeId];

/**
 * Each encryption type number's name as MIT krb5 1.20 spells it (krb5_enctype_to_name, what klist -e and
 * ktutil print), implemented here or not. Look names up with `etypeName`; `etypeByName` also takes aliases.
 */
const etypeNames: Readonly<Record<EtypeId, string>> = {
  [EtypeId.DES_CBC_CRC]: 'des-cbc-crc',
  [EtypeId.DES_CBC_MD4]: 'des-cbc-md4',
  [EtypeId.DES_CBC_MD5]: 'des-cbc-md5',
  [EtypeId.DES3_CBC_SHA1]: 'des3-cbc-sha1',
  [EtypeId.AES128_CTS_HMAC_SHA1_96]: 'aes128-cts-hmac-sha1-96',
  [EtypeId.AES256_CTS_HMAC_SHA1_96]: 'aes256-cts-hmac-sha1-96',
  [EtypeId.AES128_CTS_HMAC_SHA256_128]: 'aes128-cts-hmac-sha256-128',
  [EtypeId.AES256_CTS_HMAC_SHA384_192]: 'aes256-cts-hmac-sha384-192',
  [EtypeId.RC4_HMAC]: 'arcfour-hmac',
  [EtypeId.RC4_HMAC_EXP]: 'arcfour-hmac-exp',
  [EtypeId.CAMELLIA128_CTS_CMAC]: 'camellia128-cts-cmac',
  [EtypeId.CAMELLIA256_CTS_CMAC]: 'camellia256-cts-cmac',
};

/** The MIT name of encryption type `id` (`aes256-cts-hmac-sha1-96`), or undefined for a number without one. */
export function etypeName(id: number): string | undefined {
  return Object.hasOwn(etypeNames, id) ? etypeNames[id as EtypeId] : undefined;
}

/** Checksum type numbers. */
export const ChecksumTypeId = {
  HMAC_SHA1_96_AES128: 15,
  HMAC_SHA1_96_AES256: 16,
  HMAC_SHA256_128_AES128: 19,
  HMAC_SHA384_192_AES256: 20,
  /** KERB_CHECKSUM_HMAC_MD5 (RFC 4757 section 4), used by PA-FOR-USER (MS-SFU 2.2.1) and PAC signatures. */
  HMAC_MD5: -138,
} as const;
export type ChecksumTypeId = (typeof ChecksumTypeId)[keyof typeof ChecksumTypeId];

/** Key usage numbers: which key derivation (or RC4 message type) a message uses. */
export const KeyUsage = {
  /** AS-REQ PA-ENC-TIMESTAMP, client key. */
  AS_REQ_PA_ENC_TIMESTAMP: 1,
  /** Ticket enc-part (AS-REP and TGS-REP), service key. */
  KDC_REP_TICKET: 2,
  /** AS-REP enc-part, client key. */
  AS_REP_ENC_PART: 3,
  /** TGS-REQ req-body authorization-data, TGS session key. */
  TGS_REQ_AUTH_DATA_SESSION_KEY: 4,
  /** TGS-REQ req-body authorization-data, authenticator subkey. */
  TGS_REQ_AUTH_DATA_SUBKEY: 5,
  /** TGS-REQ PA-TGS-REQ authenticator checksum, TGS session key. */
  TGS_REQ_PA_TGS_REQ_CKSUM: 6,
  /** TGS-REQ PA-TGS-REQ authenticator, TGS session key. */
  TGS_REQ_PA_TGS_REQ_AUTHENTICATOR: 7,
  /** TGS-REP enc-part, TGS session key. */
  TGS_REP_ENC_PART_SESSION_KEY: 8,
  /** TGS-REP enc-part, authenticator subkey. */
  TGS_REP_ENC_PART_SUBKEY: 9,
  /** AP-REQ authenticator checksum, application session key. */
  AP_REQ_AUTHENTICATOR_CKSUM: 10,
  /** AP-REQ authenticator, application session key. */
  AP_REQ_AUTHENTICATOR: 11,
  /** AP-REP enc-part, application session key. */
  AP_REP_ENC_PART: 12,
  /** KRB-PRIV enc-part. */
  KRB_PRIV_ENC_PART: 13,
  /** KRB-CRED enc-part. */
  KRB_CRED_ENC_PART: 14,
  /** KRB-SAFE checksum. */
  KRB_SAFE_CKSUM: 15,
  /** KERB_NON_KERB_SALT (MS-KILE 3.1.5.9). */
  KERB_NON_KERB_SALT: 16,
  /** KERB_NON_KERB_CKSUM_SALT (MS-KILE 3.1.5.9): PA-FOR-USER checksum (MS-SFU 2.2.1), PAC signatures. */
  KERB_NON_KERB_CKSUM_SALT: 17,
  /** AD-KDCIssued checksum (RFC 4120 5.2.6.2). */
  AD_KDC_ISSUED_CKSUM: 19,
  /** GSS acceptor seal, RFC 4121 2. */
  GSS_ACCEPTOR_SEAL: 22,
  /** GSS acceptor sign, RFC 4121 2. */
  GSS_ACCEPTOR_SIGN: 23,
  /** GSS initiator seal, RFC 4121 2. */
  GSS_INITIATOR_SEAL: 24,
  /** GSS initiator sign, RFC 4121 2. */
  GSS_INITIATOR_SIGN: 25,
  /** PA-S4U-X509-USER checksum in the request (MS-SFU 2.2.2). */
  PA_S4U_X509_USER_REQUEST: 26,
  /** PA-S4U-X509-USER checksum in the reply (MS-SFU 2.2.2). */
  PA_S4U_X509_USER_REPLY: 27,
  /** FAST request checksum (RFC 6113 5.4.1). */
  FAST_REQ_CHKSUM: 50,
  /** FAST armored request encryption (RFC 6113). */
  FAST_ENC: 51,
  /** FAST armored reply encryption (RFC 6113). */
  FAST_REP: 52,
  /** FAST finished checksum (RFC 6113). */
  FAST_FINISHED: 53,
  /** PA-ENCRYPTED-CHALLENGE from the client (RFC 6113 5.4.6). */
  ENC_CHALLENGE_CLIENT: 54,
  /** PA-ENCRYPTED-CHALLENGE from the KDC (RFC 6113 5.4.6). */
  ENC_CHALLENGE_KDC: 55,
} as const;
export type KeyUsage = (typeof KeyUsage)[keyof typeof KeyUsage];
