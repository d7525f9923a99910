// The default salt (RFC 4120 section 4): the realm, then each component of the principal name, concatenated.

export function defaultSalt(realm: string, nameComponents: readonly string[]): string {
  return realm + nameComponents.join('');
}
