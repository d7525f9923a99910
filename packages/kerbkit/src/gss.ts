// kerbkit/gss: everything @kerbkit/gss exports.
export * from '@kerbkit/gss';
