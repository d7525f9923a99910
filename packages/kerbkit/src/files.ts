// kerbkit/files: everything @kerbkit/files exports.
export * from '@kerbkit/files';
