// @kerbkit/pac/ndr: the NDR shapes (MS-RPCE) inside the PAC's structures, for callers that build them.
export type { RpcUnicodeString } from './_ndr';
