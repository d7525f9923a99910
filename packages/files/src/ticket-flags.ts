// RFC 4120 section 5.3 TicketFlags as MIT's klist prints them (the bit numbers are @kerbkit/asn1's TicketFlag).
import { hasFlag, TicketFlag } from '@kerbkit/asn1';

type TicketFlagName = keyof typeof TicketFlag;

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

/** The flag letters as MIT's `klist -f` prints them, e.g. `FRIA`. */
export function klistFlagString(flags: number): string {
  return klistLetters
    .filter(([name]) => hasFlag(flags, TicketFlag[name]))
    .map(([, letter]) => letter)
    .join('');
}
