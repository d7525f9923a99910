// @kerbkit/gss: the GSS-API Kerberos 5 mechanism (RFC 4121), SPNEGO (RFC 4178) and HTTP Negotiate (RFC 4559).
export {
  type AcceptorOptions,
  type AcceptResult,
  DEFAULT_CLOCK_SKEW_SECONDS,
  type DelegatedCredential,
  KerberosAcceptor,
} from './acceptor';
export {
  type ChannelBindings,
  channelBindingsHash,
  tlsServerEndPointBindings,
} from './channel-bindings';
export { GssError, GssErrorCode } from './errors';
export { ContextFlag, contextFlagNames } from './flags';
export { frameToken, KrbTokenId, unframeToken } from './framing';
export { decodeGssChecksum, encodeGssChecksum, GSS_CHECKSUM_TYPE, type GssChecksum } from './gss-checksum';
export {
  DEFAULT_INITIATOR_FLAGS,
  type InitiatorOptions,
  KerberosInitiator,
} from './initiator';
export {
  type NegotiateAttempt,
  type NegotiateClientOptions,
  negotiateAttempt,
  negotiateFetch,
} from './negotiate-client';
export {
  decodeNegotiateToken,
  MAX_NEGOTIATE_TOKEN_LENGTH,
  negotiateHeader,
  parseNegotiateAuthorization,
  parseNegotiateChallenge,
} from './negotiate-header';
export {
  NegotiateAuthenticator,
  type NegotiateIdentity,
  type NegotiateOutcome,
  type NegotiateRequest,
  type NegotiateServerOptions,
  negotiateHandler,
  negotiateMiddleware,
  sendRefusal,
} from './negotiate-server';
export { MechOid } from './oid';
export { ReplayCache, type ReplayCacheOptions } from './replay-cache';
export { type KeyBlock, SecurityContext } from './security-context';
export { checkServiceTicket, type ServiceTicket } from './service-ticket';
export {
  SpnegoAcceptor,
  type SpnegoAcceptResult,
  SpnegoInitiator,
  type SpnegoInitiatorOptions,
} from './spnego';
export {
  decodeNegTokenInit,
  decodeNegTokenResp,
  encodeMechTypes,
  encodeNegTokenInit,
  encodeNegTokenResp,
  NegState,
  type NegTokenInit,
  type NegTokenResp,
} from './spnego-token';
export {
  type CcacheTicketSourceOptions,
  ccacheTicketSource,
  impersonationTicketSource,
  type TicketSource,
  tgtTicketSource,
} from './ticket-source';
