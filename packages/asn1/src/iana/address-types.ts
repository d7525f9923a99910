// HostAddress addr-type values: RFC 4120 section 7.5.3.

export const AddressType = {
  ipv4: 2,
  directional: 3,
  chaosNet: 5,
  xns: 6,
  iso: 7,
  decnetPhaseIV: 12,
  appleTalkDdp: 16,
  netBios: 20,
  ipv6: 24,
} as const;
export type AddressType = (typeof AddressType)[keyof typeof AddressType];
