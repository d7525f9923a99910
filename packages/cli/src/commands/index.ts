import type { Command } from '../io';
import { certIdentity } from './cert-identity';
import { http } from './http';
import { kinit } from './kinit';
import { klist } from './klist';
import { ktutil } from './ktutil';
import { kvno } from './kvno';
import { serve } from './serve';

/** Every `kerbkit` subcommand, one file each in this folder. */
export const commands: Record<string, Command> = {
  'cert-identity': certIdentity,
  http,
  kinit,
  klist,
  ktutil,
  kvno,
  serve,
};
