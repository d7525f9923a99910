// PrincipalName name-type values: RFC 4120 section 6.2, RFC 6111 (wellknown), MS-KILE (enterprise, MS principals).

export const NameType = {
  unknown: 0,
  /** Just the name of the principal, as in DCE, or for users. */
  principal: 1,
  /** Service and other unique instance (krbtgt). */
  srvInst: 2,
  /** Service with host name as instance (telnet, rcommands, HTTP). */
  srvHst: 3,
  srvXhst: 4,
  uid: 5,
  x500Principal: 6,
  smtpName: 7,
  /** Enterprise name: one component `user@upn.suffix` (RFC 6806). */
  enterprise: 10,
  wellknown: 11,
  msPrincipal: -128,
  msPrincipalAndId: -129,
  entPrincipalAndId: -130,
} as const;
export type NameType = (typeof NameType)[keyof typeof NameType];
