import type { Command } from '../io';
import { kinit } from './kinit';

/** Every `kerbkit` subcommand, one file each in this folder. */
export const commands: Record<string, Command> = { kinit };
