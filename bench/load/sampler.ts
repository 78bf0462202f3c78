// CPU and memory of the cluster's hosts over a window, from /proc: every process is put in the
// category of the host (network namespace) it runs in, so the speech tools a job process runs
// (pocketsphinx, flite) count for the agent workers. A process started mid-window counts from
// zero. The CPU of a process alive at the last sample is its own plus its reaped children's; one
// that ended is left out, as its parent's children time holds it (a job process is reaped by its
// worker, pocketsphinx by its job). RSS is read per job process (job_proc_lazy_main), peak per pid.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { procCpu } from '../lib/cpu.js';

interface Seen {
  category: string;
  /** What the process is (kindOf its command line), for the breakdown. */
  kind: string;
  selfFirst: number;
  selfLast: number;
  first: number;
  last: number;
  /** The sample that last saw it. */
  seenIn: number;
}

export class HostSampler {
  readonly #seen = new Map<number, Seen>();
  readonly #peakRssKb = new Map<number, number>();
  #started = false;
  #samples = 0;

  /**
   * `hostOf`: a network namespace (readlink of /proc/<pid>/ns/net) → its category, or undefined to
   * leave it out; `kindOf`: a command line → what the process is, for selfMsByKind().
   */
  constructor(
    private readonly hostOf: (netns: string) => string | undefined,
    private readonly kindOf: (cmdline: string) => string = () => 'process',
  ) {}

  start() {
    this.sample();
    this.#started = true;
  }

  sample() {
    const n = ++this.#samples;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const pid = Number(d);
      let category: string | undefined;
      try {
        category = this.hostOf(readlinkSync(`/proc/${d}/ns/net`));
      } catch {
        continue;
      }
      if (category === undefined) continue;
      const cpu = procCpu(pid);
      if (!cpu) continue;
      // Self and reaped children: a job process's finished flite runs are in its children time.
      const us = cpu.self + cpu.children;
      const s = this.#seen.get(pid);
      if (s) Object.assign(s, { last: us, selfLast: cpu.self, seenIn: n });
      else {
        const from = this.#started ? { first: 0, selfFirst: 0 } : { first: us, selfFirst: cpu.self };
        this.#seen.set(pid, { category, kind: this.kindOf(cmdline(pid)), ...from, last: us, selfLast: cpu.self, seenIn: n });
      }
      if (this.#started && cmdline(pid).includes('job_proc_lazy_main')) {
        const kb = rssKb(pid);
        if (kb !== undefined) this.#peakRssKb.set(pid, Math.max(kb, this.#peakRssKb.get(pid) ?? 0));
      }
    }
  }

  /** CPU ms per category between start() and the last sample. */
  cpuMs(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.#seen.values()) {
      if (s.seenIn === this.#samples) out.set(s.category, (out.get(s.category) ?? 0) + (s.last - s.first) / 1000);
    }
    return out;
  }

  /**
   * Own CPU ms (not children) per kind of process in `category`, of every process seen, ended or
   * not: what dominates. Short-lived tools that ended between two samples are missed (their time
   * is in the total through their parent).
   */
  selfMsByKind(category: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.#seen.values()) {
      if (s.category === category) out.set(s.kind, (out.get(s.kind) ?? 0) + (s.selfLast - s.selfFirst) / 1000);
    }
    return out;
  }

  /** Peak RSS (MB) of each job process seen since start(), by pid. */
  jobRssMb(): Map<number, number> {
    return new Map([...this.#peakRssKb].map(([pid, kb]) => [pid, kb / 1024]));
  }
}

const cmdlines = new Map<number, string>();
function cmdline(pid: number): string {
  let v = cmdlines.get(pid);
  if (v === undefined) {
    try {
      v = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
    } catch {
      return '';
    }
    cmdlines.set(pid, v);
  }
  return v;
}

function rssKb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
