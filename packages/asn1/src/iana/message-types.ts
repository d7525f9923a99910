// RFC 4120 sections 5.10 and 7.5.7: protocol version, msg-type values and APPLICATION tag numbers.

/** pvno, tkt-vno, authenticator-vno: always 5. */
export const KerberosVersion = 5;

/** msg-type values (RFC 4120 section 7.5.7). */
export const MessageType = {
  asReq: 10,
  asRep: 11,
  tgsReq: 12,
  tgsRep: 13,
  apReq: 14,
  apRep: 15,
  krbSafe: 20,
  krbPriv: 21,
  krbCred: 22,
  krbError: 30,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** APPLICATION tag numbers of the messages and their encrypted parts (RFC 4120 section 5.10). */
export const ApplicationTag = {
  ticket: 1,
  authenticator: 2,
  encTicketPart: 3,
  asReq: 10,
  asRep: 11,
  tgsReq: 12,
  tgsRep: 13,
  apReq: 14,
  apRep: 15,
  krbSafe: 20,
  krbPriv: 21,
  krbCred: 22,
  encAsRepPart: 25,
  encTgsRepPart: 26,
  encApRepPart: 27,
  encKrbPrivPart: 28,
  encKrbCredPart: 29,
  krbError: 30,
} as const;
export type ApplicationTag = (typeof ApplicationTag)[keyof typeof ApplicationTag];
