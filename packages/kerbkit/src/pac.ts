// kerbkit/pac: everything @kerbkit/pac exports.
export * from '@kerbkit/pac';
