export type { Command, Io } from './io';
export { run } from './run';
