// kerbkit/x509: everything @kerbkit/x509 exports.
export * from '@kerbkit/x509';
