import type { Command } from '../io';
import { certIdentity } from './cert-identity';
import { kinit } from './kinit';

/** Every `kerbkit` subcommand, one file each in this folder. */
export const commands: Record<string, Command> = {
  'cert-identity': certIdentity,
  kinit,
};
