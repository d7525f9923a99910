import type { Command } from '../io';
import { certIdentity } from './cert-identity';
import { kinit } from './kinit';
import { klist } from './klist';
import { ktutil } from './ktutil';

/** Every `kerbkit` subcommand, one file each in this folder. */
export const commands: Record<string, Command> = {
  'cert-identity': certIdentity,
  kinit,
  klist,
  ktutil,
};
