// kerbkit/client: everything @kerbkit/client exports.
export * from '@kerbkit/client';
