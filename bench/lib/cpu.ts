// CPU accounting for the report: the server child's own (over IPC) and the Postgres backends serving
// one database (their /proc stat, when Postgres runs on this machine and /proc is readable).
import { readFileSync } from 'node:fs';
import type pg from 'pg';

/** Linux clock ticks per second (CLK_TCK is 100 on every mainstream kernel config). */
const TICK_US = 1_000_000 / 100;

function procCpuUs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime + stime
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
    const us = procCpuUs(pid);
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
