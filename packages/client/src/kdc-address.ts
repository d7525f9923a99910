// KDC addresses as krb5.conf writes them (MIT krb5.conf(5) `kdc =`: host[:port], [v6addr][:port], tcp/ or udp/ prefix).
import { KerbkitError } from '@kerbkit/errors';

/** The IANA port for Kerberos (RFC 4120 §7.2.3). */
export const KERBEROS_PORT = 88;

export type KdcProtocol = 'tcp' | 'udp';

/** One KDC; `protocol` pins it to one transport (a `tcp/` or `udp/` prefix, or a DNS SRV record). */
export interface KdcAddress {
  host: string;
  port: number;
  protocol?: KdcProtocol;
}

export class KdcAddressError extends KerbkitError {
  constructor(text: string, why: string) {
    super('KDC_ADDRESS_INVALID', `KDC address '${text}' is not valid: ${why}`, {
      hint: 'write KDC addresses as host, host:port, [ipv6]:port, optionally with a tcp/ or udp/ prefix',
    });
  }
}

/** Parses one `kdc =` value. */
export function parseKdcAddress(text: string): KdcAddress {
  let rest = text.trim();
  let protocol: KdcProtocol | undefined;
  const prefix = /^(tcp|udp)\//i.exec(rest);
  if (prefix) {
    protocol = prefix[1]?.toLowerCase() as KdcProtocol;
    rest = rest.slice(prefix[0].length);
  }
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new KdcAddressError(text, 'unclosed [');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new KdcAddressError(text, 'text after ]');
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) {
      host = rest; // a bare IPv6 address, no port
    } else {
      [host = '', portText] = rest.split(':');
    }
  }
  if (host === '' || /[\s/]/.test(host)) throw new KdcAddressError(text, 'no host name');
  let port = KERBEROS_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new KdcAddressError(text, `port '${portText}' is not 1-65535`);
    }
    port = Number(portText);
  }
  return protocol === undefined ? { host, port } : { host, port, protocol };
}

export function formatKdcAddress(kdc: KdcAddress): string {
  const host = kdc.host.includes(':') ? `[${kdc.host}]` : kdc.host;
  return `${kdc.protocol ? `${kdc.protocol}/` : ''}${host}:${kdc.port}`;
}

/** An address's two spellings, made once per address object (addresses are not changed once made). */
const spellings = new WeakMap<KdcAddress, { id: string; name: string }>();

function spellingsOf(kdc: KdcAddress): { id: string; name: string } {
  let known = spellings.get(kdc);
  if (known === undefined) {
    known = { id: formatKdcAddress(kdc), name: formatKdcAddress({ host: kdc.host, port: kdc.port }) };
    spellings.set(kdc, known);
  }
  return known;
}

/** The address as krb5.conf writes it, protocol prefix included: which KDC of a realm this is. */
export function kdcId(kdc: KdcAddress): string {
  return spellingsOf(kdc).id;
}

/** host:port, as replies, errors and observers name the KDC. */
export function kdcName(kdc: KdcAddress): string {
  return spellingsOf(kdc).name;
}
