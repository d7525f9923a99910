// Registry numbers of the MS-PAC: buffer types (2.4), and the flag words of its structures.

/** PAC_INFO_BUFFER ulType values (MS-PAC 2.4). */
export const PacBufferType = {
  /** KERB_VALIDATION_INFO (2.5). */
  logonInfo: 1,
  /** PAC_CREDENTIAL_INFO (2.6.1): encrypted, kept raw. */
  credentialsInfo: 2,
  /** Server signature, PAC_SIGNATURE_DATA (2.8.1). */
  serverChecksum: 6,
  /** KDC signature, PAC_SIGNATURE_DATA (2.8.2). */
  privsvrChecksum: 7,
  /** PAC_CLIENT_INFO (2.7). */
  clientInfo: 10,
  /** S4U_DELEGATION_INFO (2.9). */
  constrainedDelegationInfo: 11,
  /** UPN_DNS_INFO (2.10). */
  upnDnsInfo: 12,
  /** PAC_CLIENT_CLAIMS_INFO (2.11): kept raw. */
  clientClaimsInfo: 13,
  /** PAC_DEVICE_INFO (2.12): kept raw. */
  deviceInfo: 14,
  /** PAC_DEVICE_CLAIMS_INFO (2.13): kept raw. */
  deviceClaimsInfo: 15,
  /** Ticket signature, PAC_SIGNATURE_DATA (2.8.3). */
  ticketChecksum: 16,
  /** PAC_ATTRIBUTES_INFO (2.14). */
  attributesInfo: 17,
  /** PAC_REQUESTOR (2.15). */
  requestor: 18,
  /** Extended KDC signature, PAC_SIGNATURE_DATA (2.8.4). */
  fullChecksum: 19,
} as const;
export type PacBufferType = (typeof PacBufferType)[keyof typeof PacBufferType];

/** GROUP_MEMBERSHIP / KERB_SID_AND_ATTRIBUTES Attributes bits (MS-PAC 2.2.1, MS-DTYP SE_GROUP_*). */
export const GroupAttribute = {
  mandatory: 0x1,
  enabledByDefault: 0x2,
  enabled: 0x4,
  owner: 0x8,
  /** The group is a domain-local resource group (from ResourceGroupIds or a resource SID). */
  resource: 0x20000000,
} as const;

/** KERB_VALIDATION_INFO UserFlags bits (MS-PAC 2.5). */
export const UserFlag = {
  /** ExtraSids is populated. */
  extraSids: 0x20,
  /** ResourceGroupDomainSid and ResourceGroupIds are populated. */
  resourceGroups: 0x200,
} as const;

/** UPN_DNS_INFO Flags bits (MS-PAC 2.10). */
export const UpnDnsFlag = {
  /** The account has no userPrincipalName attribute: the UPN was constructed. */
  upnConstructed: 0x1,
  /** SamName and Sid follow the DNS domain name (the extended form). */
  samNameAndSid: 0x2,
} as const;

/** PAC_ATTRIBUTES_INFO Flags bits (MS-PAC 2.14). */
export const PacAttributeFlag = {
  /** The client asked for the PAC (PA-PAC-REQUEST true). */
  pacWasRequested: 0x1,
  /** The client did not say whether it wanted a PAC. */
  pacWasGivenImplicitly: 0x2,
} as const;
