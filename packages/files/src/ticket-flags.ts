// RFC 4120 section 5.3 TicketFlags (and RFC 6806 / RFC 8062 additions) as stored in a ccache.

/** Bit numbers of TicketFlags; bit 0 is the most significant bit of the 32-bit value. */
export const TicketFlag = {
  reserved: 0,
  forwardable: 1,
  forwarded: 2,
  proxiable: 3,
  proxy: 4,
  mayPostdate: 5,
  postdated: 6,
  invalid: 7,
  renewable: 8,
  initial: 9,
  preAuthent: 10,
  hwAuthent: 11,
  transitedPolicyChecked: 12,
  okAsDelegate: 13,
  encPaRep: 15,
  anonymous: 16,
} as const;

export type TicketFlagName = keyof typeof TicketFlag;

/** The letters MIT's klist prints for flags, in its order (checked against klist 1.20). */
const klistLetters: [TicketFlagName, string][] = [
  ['forwardable', 'F'],
  ['forwarded', 'f'],
  ['proxiable', 'P'],
  ['proxy', 'p'],
  ['mayPostdate', 'D'],
  ['postdated', 'd'],
  ['invalid', 'i'],
  ['renewable', 'R'],
  ['initial', 'I'],
  ['hwAuthent', 'H'],
  ['preAuthent', 'A'],
  ['transitedPolicyChecked', 'T'],
  ['okAsDelegate', 'O'],
  ['anonymous', 'a'],
];

export function flagMask(name: TicketFlagName): number {
  return 2 ** (31 - TicketFlag[name]);
}

export function hasFlag(flags: number, name: TicketFlagName): boolean {
  return Math.floor(flags / flagMask(name)) % 2 === 1;
}

/** The 32-bit value with exactly the named flags set. */
export function flagsFromNames(names: Iterable<TicketFlagName>): number {
  let value = 0;
  for (const name of new Set(names)) value += flagMask(name);
  return value;
}

/** Names of the flags set, in bit order. */
export function flagNames(flags: number): TicketFlagName[] {
  return (Object.keys(TicketFlag) as TicketFlagName[]).filter((name) => hasFlag(flags, name));
}

/** The flag letters as MIT's `klist -f` prints them, e.g. `FRIA`. */
export function klistFlagString(flags: number): string {
  return klistLetters
    .filter(([name]) => hasFlag(flags, name))
    .map(([, letter]) => letter)
    .join('');
}
