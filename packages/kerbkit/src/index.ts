// kerbkit: the public API of every @kerbkit package from one import. Each package is also a subpath
// (`kerbkit/client`, `kerbkit/gss`, ...); with `sideEffects: false` bundlers keep only what is used.
export * from '@kerbkit/asn1';
export * from '@kerbkit/client';
export * from '@kerbkit/crypto';
export * from '@kerbkit/errors';
export * from '@kerbkit/files';
export * from '@kerbkit/gss';
export * from '@kerbkit/pac';
export * from '@kerbkit/x509';
