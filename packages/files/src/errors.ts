// Error classes of @kerbkit/files: one per file kind, each with stable codes.
import { KerbkitError } from '@kerbkit/errors';

/** A keytab could not be read or written (codes KEYTAB_*). */
export class KeytabError extends KerbkitError {}

/** A credential cache could not be read or written (codes CCACHE_*). */
export class CcacheError extends KerbkitError {}

/** krb5.conf could not be parsed (codes KRB5_CONF_*). */
export class ConfigError extends KerbkitError {}

/** A principal name string is malformed (code PRINCIPAL_MALFORMED). */
export class PrincipalError extends KerbkitError {}

/** Makes the typed error for a malformed binary file; the reader gets it as a factory. */
export type FormatErrorFactory = (code: string, message: string) => KerbkitError;
