// kerbkit/crypto: everything @kerbkit/crypto exports.
export * from '@kerbkit/crypto';
