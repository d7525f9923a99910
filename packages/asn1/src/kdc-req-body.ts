// RFC 4120 section 5.4.1: KDC-REQ-BODY.
import {
  type Codec,
  readInteger,
  readKerberosFlags,
  readKerberosString,
  readKerberosTime,
  sequenceCodec,
  writeInteger,
  writeKerberosFlags,
  writeKerberosString,
  writeKerberosTime,
} from './codec';
import type { DerReader } from './der-reader';
import type { DerWriter } from './der-writer';
import { EncryptedData } from './encrypted-data';
import { type HostAddress, HostAddresses } from './host-address';
import { PrincipalName } from './principal-name';
import { Ticket } from './ticket';

/**
 * ```asn1
 * KDC-REQ-BODY    ::= SEQUENCE {
 *         kdc-options             [0] KDCOptions,
 *         cname                   [1] PrincipalName OPTIONAL
 *                                     -- Used only in AS-REQ --,
 *         realm                   [2] Realm
 *                                     -- Server's realm
 *                                     -- Also client's in AS-REQ --,
 *         sname                   [3] PrincipalName OPTIONAL,
 *         from                    [4] KerberosTime OPTIONAL,
 *         till                    [5] KerberosTime,
 *         rtime                   [6] KerberosTime OPTIONAL,
 *         nonce                   [7] UInt32,
 *         etype                   [8] SEQUENCE OF Int32 -- EncryptionType
 *                                     -- in preference order --,
 *         addresses               [9] HostAddresses OPTIONAL,
 *         enc-authorization-data  [10] EncryptedData OPTIONAL
 *                                     -- AuthorizationData encoding --,
 *         additional-tickets      [11] SEQUENCE OF Ticket OPTIONAL
 *                                        -- NOTE: not empty
 * }
 * ```
 */
export interface KdcReqBody {
  /** KDCOptions: KdcOption bits. */
  kdcOptions: number;
  cname?: PrincipalName | undefined;
  realm: string;
  sname?: PrincipalName | undefined;
  from?: Date | undefined;
  till: Date;
  rtime?: Date | undefined;
  nonce: number;
  etype: number[];
  addresses?: HostAddress[] | undefined;
  encAuthorizationData?: EncryptedData | undefined;
  additionalTickets?: Ticket[] | undefined;
}

const readEtypes = (r: DerReader): number[] => r.sequenceOf(readInteger);
const writeEtypes = (w: DerWriter, etypes: number[]): void => w.sequenceOf(writeInteger, etypes);
const readTickets = (r: DerReader): Ticket[] => r.sequenceOf(Ticket.read);
const writeTickets = (w: DerWriter, tickets: Ticket[]): void => w.sequenceOf(Ticket.write, tickets);

export const KdcReqBody: Codec<KdcReqBody> = sequenceCodec(
  'KDC-REQ-BODY',
  (r) => {
    const kdcOptions = r.field(0, 'kdc-options', readKerberosFlags);
    const cname = r.optional(1, 'cname', PrincipalName.read);
    const realm = r.field(2, 'realm', readKerberosString);
    const sname = r.optional(3, 'sname', PrincipalName.read);
    const from = r.optional(4, 'from', readKerberosTime);
    const till = r.field(5, 'till', readKerberosTime);
    const rtime = r.optional(6, 'rtime', readKerberosTime);
    const nonce = r.field(7, 'nonce', readInteger);
    const etype = r.field(8, 'etype', readEtypes);
    const addresses = r.optional(9, 'addresses', HostAddresses.read);
    const encAuthorizationData = r.optional(10, 'enc-authorization-data', EncryptedData.read);
    const additionalTickets = r.optional(11, 'additional-tickets', readTickets);
    return {
      kdcOptions,
      cname,
      realm,
      sname,
      from,
      till,
      rtime,
      nonce,
      etype,
      addresses,
      encAuthorizationData,
      additionalTickets,
    };
  },
  (w, v) => {
    w.optional(11, 'additional-tickets', writeTickets, v.additionalTickets);
    w.optional(10, 'enc-authorization-data', EncryptedData.write, v.encAuthorizationData);
    w.optional(9, 'addresses', HostAddresses.write, v.addresses);
    w.field(8, 'etype', writeEtypes, v.etype);
    w.field(7, 'nonce', writeInteger, v.nonce);
    w.optional(6, 'rtime', writeKerberosTime, v.rtime);
    w.field(5, 'till', writeKerberosTime, v.till);
    w.optional(4, 'from', writeKerberosTime, v.from);
    w.optional(3, 'sname', PrincipalName.write, v.sname);
    w.field(2, 'realm', writeKerberosString, v.realm);
    w.optional(1, 'cname', PrincipalName.write, v.cname);
    w.field(0, 'kdc-options', writeKerberosFlags, v.kdcOptions);
  },
);
