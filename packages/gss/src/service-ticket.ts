// The service ticket an initiator takes: @kerbkit/client's Credentials (times as Dates), checked before use.
import type { Credentials } from '@kerbkit/client';
import { GssError, GssErrorCode } from './errors';

/**
 * What the initiator needs of a service ticket: `Credentials` from @kerbkit/client as they come from
 * the KDC (`getServiceTicket`), an ImpersonationCache (`ticket`), a ticket source, or a credential cache
 * entry through `fromCcacheCredential`.
 */
export type ServiceTicket = Pick<Credentials, 'client' | 'server' | 'sessionKey' | 'ticket' | 'endtime'>;

const hint =
  'pass Credentials from @kerbkit/client (a KDC reply, an ImpersonationCache ticket, a TicketSource), or convert a credential cache entry with fromCcacheCredential';

/** Throws GSS_S_DEFECTIVE_CREDENTIAL, naming the field, when `value` is not a ServiceTicket. */
export function checkServiceTicket(value: unknown): asserts value is ServiceTicket {
  const problem = serviceTicketProblem(value);
  if (problem === undefined) return;
  throw new GssError(GssErrorCode.DEFECTIVE_CREDENTIAL, `the service ticket is not usable: ${problem}`, {
    hint,
  });
}

function serviceTicketProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'it is not an object';
  if (value.ticket instanceof Uint8Array && 'key' in value) {
    return 'it is a credential cache entry (key, times in seconds), not Credentials (sessionKey, times as Dates)';
  }
  if (!isPrincipal(value.client)) return 'client is not a principal ({ nameType, nameString, realm })';
  if (!isPrincipal(value.server)) return 'server is not a principal ({ nameType, nameString, realm })';
  const key = value.sessionKey;
  if (!isRecord(key) || !Number.isInteger(key.keytype) || !(key.keyvalue instanceof Uint8Array)) {
    return 'sessionKey is not { keytype, keyvalue: Uint8Array }';
  }
  const ticket = value.ticket;
  if (!isRecord(ticket) || !(ticket.bytes instanceof Uint8Array) || !isRecord(ticket.decoded)) {
    return 'ticket is not { bytes: Uint8Array, decoded: Ticket }';
  }
  if (!(value.endtime instanceof Date) || Number.isNaN(value.endtime.getTime())) {
    return 'endtime is not a valid Date';
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isPrincipal(value: unknown): boolean {
  return (
    isRecord(value) &&
    Number.isInteger(value.nameType) &&
    Array.isArray(value.nameString) &&
    value.nameString.every((part) => typeof part === 'string') &&
    typeof value.realm === 'string'
  );
}
