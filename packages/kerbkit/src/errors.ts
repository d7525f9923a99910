// kerbkit/errors: everything @kerbkit/errors exports.
export * from '@kerbkit/errors';
