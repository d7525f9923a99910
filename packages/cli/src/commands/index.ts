import type { Command } from '../io';

/** Every `kerbkit` subcommand, one file each in this folder. */
export const commands: Record<string, Command> = {};
