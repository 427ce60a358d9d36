/**
 * Timing for the fuzz campaign. CPU time of one thread, from Linux's /proc (10 ms resolution): the campaign's machine is shared,
 * so a slow file is judged by the CPU time its thread spent on it, not by wall time alone.
 * undefined where /proc is not there.
 */
import * as fs from 'node:fs';

/** USER_HZ: /proc reports CPU time in 1/100 s on Linux. */
const TICK_MS = 10;

function read(statFile: string): number | undefined {
  try {
    const stat = fs.readFileSync(statFile, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); utime and stime are fields 14 and 15
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** CPU time of the calling thread, in ms. */
export function threadCpuMs(): number | undefined {
  return read('/proc/thread-self/stat');
}

/** CPU time of the main thread of process `pid`, in ms. */
export function mainThreadCpuMs(pid: number): number | undefined {
  return read(`/proc/${pid}/task/${pid}/stat`);
}

/**
 * The time a file of `chars` characters may take on one thread before it counts as a hang:
 * `hangMs`, and `hangMs` per million characters above a million (the engine is linear; files up
 * to the 8 MB cap are read).
 */
export function budgetMs(hangMs: number, chars: number): number {
  return hangMs * Math.max(1, chars / 1e6);
}

export interface Stat { maxMs: number; p99Ms: number; p50Ms: number }
/** Per-file times on one thread: wall time, and the thread's own CPU time (Linux /proc, 10 ms ticks). */
export interface Times { count: number; wall: Stat; cpu?: Stat }

function stat(xs: number[]): Stat {
  if (xs.length === 0) return { maxMs: 0, p99Ms: 0, p50Ms: 0 };
  const s = Float64Array.from(xs).sort();
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 10) / 10;
  return { maxMs: Math.round(s[s.length - 1] * 10) / 10, p99Ms: at(0.99), p50Ms: at(0.5) };
}

export class TimeList {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];
  add(t: { wallMs: number; cpuMs?: number | null }): void {
    this.wall.push(t.wallMs);
    if (typeof t.cpuMs === 'number') this.cpu.push(t.cpuMs);
  }
  summary(): Times {
    return { count: this.wall.length, wall: stat(this.wall), ...(this.cpu.length ? { cpu: stat(this.cpu) } : {}) };
  }
}
