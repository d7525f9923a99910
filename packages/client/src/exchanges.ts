// @kerbkit/client/exchanges: the single exchanges under KdcClient and Impersonator and their parts, for
// callers that drive a protocol step by step (tests against peers, the CLI's kvno -U/-P, benchmarks).
export { asExchange, kdcOptionsFor } from './as-exchange';
export { type ClientKeys, clientKeys, type KeyInfo } from './client-secret';
export { type ExchangeContext, newNonce, requestTimes } from './exchange-context';
export { acceptKdcRep, type ReplyExpectation } from './kdc-reply';
export {
  paForUser,
  paS4uX509User,
  requireForwardableEvidence,
  type S4u2ProxyRequest,
  type S4u2SelfRequest,
  s4u2proxy,
  s4u2self,
} from './s4u';
export { type TgsResult, tgsExchange, tgtRealm } from './tgs-exchange';
