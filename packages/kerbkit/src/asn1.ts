// kerbkit/asn1: everything @kerbkit/asn1 exports.
export * from '@kerbkit/asn1';
