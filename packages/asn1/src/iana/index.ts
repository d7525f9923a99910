// Kerberos registry numbers as `as const` tables (messages, errors, PA types, names, addresses, AD types, flags).
export * from './ad-types';
export * from './address-types';
export * from './error-codes';
export * from './flags';
export * from './message-types';
export * from './name-types';
export * from './pa-types';
