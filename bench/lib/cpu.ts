// CPU accounting for the reports, from /proc (Linux): the Postgres backends serving one database
// (join), and every process of this network namespace by category (agent-latency).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type pg from 'pg';

/** Linux clock ticks per second (CLK_TCK is 100 on every mainstream kernel config). */
const TICK_US = 1_000_000 / 100;

/** CPU time (µs) of a process itself and of its reaped children (utime + stime, cutime + cstime). */
export function procCpu(pid: number): { self: number; children: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { self: (Number(f[11]) + Number(f[12])) * TICK_US, children: (Number(f[13]) + Number(f[14])) * TICK_US };
  } catch {
    return undefined;
  }
}

/** CPU time (µs) of each backend connected to `database`, except the asking connection itself. */
export async function backendCpu(client: pg.Client, database: string): Promise<Map<number, number> | null> {
  const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
    database,
  ]);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const us = procCpu(pid)?.self;
    if (us === undefined) return null;
    out.set(pid, us);
  }
  return out;
}

/** CPU used between two snapshots; a backend that appeared in between counts from zero. */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, us] of after) sum += us - (before.get(pid) ?? 0);
  return sum;
}

/** Busy and total CPU time (ms) of the whole machine since boot, all cores. */
export function machineCpuMs(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'latin1').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: ((total - idle) * TICK_US) / 1000, total: (total * TICK_US) / 1000 };
}

interface ProcCpu {
  category: string;
  first: number;
  last: number;
  childFirst: number;
  childLast: number;
}

/**
 * CPU per process of this network namespace over a window, sampled (call sample() every few
 * hundred ms: a process that ends between two samples is missed). Processes are put in categories
 * by pid (known()) or by command line (`categorise`: '' leaves a process out, undefined skips it
 * for now); short-lived tools are counted through their parent's reaped-children time.
 */
export class NamespaceCpu {
  private readonly ns = readlinkSync('/proc/self/ns/net');
  private readonly procs = new Map<number, ProcCpu>();
  private readonly knownPids = new Map<number, string>();
  /** Set once the window's baseline is taken: processes seen after it count from zero. */
  private started = false;

  constructor(private readonly categorise: (cmdline: string) => string | undefined) {}

  known(pid: number | undefined, category: string) {
    if (pid) this.knownPids.set(pid, category);
  }

  /** Takes the baseline: what ran before counts from here. */
  start() {
    this.sample();
    this.started = true;
  }

  sample() {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const pid = Number(d);
      try {
        if (readlinkSync(`/proc/${d}/ns/net`) !== this.ns) continue;
      } catch {
        continue;
      }
      const s = procCpu(pid);
      if (!s) continue;
      const p = this.procs.get(pid);
      if (p) {
        p.last = s.self;
        p.childLast = s.children;
        continue;
      }
      const category = this.knownPids.get(pid) ?? this.categoryOf(pid);
      if (category === undefined) continue;
      // A process first seen after the baseline started after the previous sample: it counts from zero.
      const first = this.started ? 0 : s.self;
      const childFirst = this.started ? 0 : s.children;
      this.procs.set(pid, { category, first, last: s.self, childFirst, childLast: s.children });
    }
  }

  private categoryOf(pid: number): string | undefined {
    try {
      return this.categorise(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' '));
    } catch {
      return undefined;
    }
  }

  /** Pids seen in `category`. */
  pids(category: string): Set<number> {
    return new Set([...this.procs].filter(([, p]) => p.category === category).map(([pid]) => pid));
  }

  /** CPU ms per category over the window; `childrenOf` also counts that category's reaped children, as `childrenAs`. */
  perCategory(childrenOf: string, childrenAs: string): Map<string, number> {
    const cpu = new Map<string, number>();
    let children = 0;
    for (const p of this.procs.values()) {
      if (p.category === '') continue;
      cpu.set(p.category, (cpu.get(p.category) ?? 0) + (p.last - p.first) / 1000);
      if (p.category === childrenOf) children += (p.childLast - p.childFirst) / 1000;
    }
    cpu.set(childrenAs, children);
    return cpu;
  }
}
