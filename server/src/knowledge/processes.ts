/**
 * Child processes: `child_process` runs a command for as long as it likes unless the call sets a
 * `timeout` (ms; 0, the default, means none). The synchronous forms block the event loop meanwhile.
 */
import type { ClientFactoryDeadline, LibraryRecord } from './types';

const TIMEOUT = { deadlineOptions: ['timeout'], write: [{ option: 'timeout' }] } as const;

/** exec(cmd, options?, callback?) and the forms that take an optional args array before the options. */
const CHILD_PROCESS_CALLS: readonly ClientFactoryDeadline[] = [
  { path: ['exec'], call: 'call', options: 1, maxArgs: 3, callback: true, ...TIMEOUT },
  { path: ['execSync'], call: 'call', options: 1, maxArgs: 2, ...TIMEOUT },
  { path: ['execFile'], call: 'call', options: 2, maxArgs: 4, optionalArrayAt: 1, callback: true, ...TIMEOUT },
  { path: ['execFileSync'], call: 'call', options: 2, maxArgs: 3, optionalArrayAt: 1, ...TIMEOUT },
  { path: ['spawnSync'], call: 'call', options: 2, maxArgs: 3, optionalArrayAt: 1, ...TIMEOUT },
];

export const PROCESSES: readonly LibraryRecord[] = [
  {
    id: 'child-process',
    label: 'child_process',
    modules: ['child_process'],
    roles: ['process'],
    clientDeadlines: {
      factories: CHILD_PROCESS_CALLS,
      withoutDeadline: 'a child process without a timeout runs as long as the command does (timeout 0: none)',
      requestPathOnly: true,
    },
    note: 'spawn/fork are long-running by design (servers, workers): only the run-to-completion forms are judged.',
  },
];
