// padata-type values: RFC 4120 section 7.5.2, RFC 4556, RFC 6113, RFC 6806, RFC 8070, MS-KILE 3.1.5.1, MS-SFU 2.2.

export const PaType = {
  /** PA-TGS-REQ: an AP-REQ for the TGT (RFC 4120). */
  tgsReq: 1,
  /** PA-ENC-TIMESTAMP: EncryptedData of PA-ENC-TS-ENC (RFC 4120 5.2.7.2). */
  encTimestamp: 2,
  pwSalt: 3,
  encUnixTime: 5,
  afs3Salt: 10,
  /** ETYPE-INFO (RFC 4120 5.2.7.4). */
  etypeInfo: 11,
  pkAsReqOld: 14,
  pkAsRepOld: 15,
  pkAsReq: 16,
  pkAsRep: 17,
  /** ETYPE-INFO2 (RFC 4120 5.2.7.5). */
  etypeInfo2: 19,
  svrReferralInfo: 20,
  samRedirect: 21,
  getFromTypedData: 22,
  /** KERB-PA-PAC-REQUEST (MS-KILE 2.2.3). */
  pacRequest: 128,
  /** PA-FOR-USER (MS-SFU 2.2.1). */
  forUser: 129,
  /** PA-S4U-X509-USER (MS-SFU 2.2.2). */
  s4uX509User: 130,
  forCheckDups: 131,
  asChecksum: 132,
  /** PA-FX-COOKIE (RFC 6113). */
  fxCookie: 133,
  authenticationSet: 134,
  authSetSelected: 135,
  /** PA-FX-FAST (RFC 6113). */
  fxFast: 136,
  fxError: 137,
  encryptedChallenge: 138,
  otpChallenge: 141,
  otpRequest: 142,
  otpPinChange: 144,
  pkinitKx: 147,
  pku2uName: 148,
  /** PA-REQ-ENC-PA-REP (RFC 6806 section 11). */
  reqEncPaRep: 149,
  /** PA-AS-FRESHNESS (RFC 8070). */
  asFreshness: 150,
  spake: 151,
  /** KERB-KEY-LIST-REQ (MS-KILE 2.2.11). */
  keyListReq: 161,
  keyListRep: 162,
  /** PA-SUPPORTED-ENCTYPES (MS-KILE 2.2.8). */
  supportedEnctypes: 165,
  /** PA-EXTENDED-ERROR (MS-KILE). */
  extendedError: 166,
  /** PA-PAC-OPTIONS (MS-KILE 2.2.10). */
  pacOptions: 167,
} as const;
export type PaType = (typeof PaType)[keyof typeof PaType];
