// The worker's Prometheus metrics, on a small HTTP listener of its own (AGENT_METRICS_PORT; 0, the
// default: none), loopback unless AGENT_METRICS_HOST says otherwise, with METRICS_TOKEN as a bearer
// when set.
//
// Each interview runs in a job process of its own (forked by the agents framework), while LiveKit
// talks to, and this listener runs in, the main worker process. So the job processes send their
// observations (reply gap, first audio) to the main process over a Unix socket named after its pid,
// which a job process knows as its parent's; the main process holds the one registry to scrape.
// The socket is the owner's only (a 0700 folder, a 0600 file); an observation that does not parse is dropped.
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createSocketServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { WorkerConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { tokenMatches } from '../core/metrics-token.js';

/** What a job process reports; seconds. */
export type Observation = 'reply_gap' | 'join_to_first_audio' | 'dispatch_to_agent';

export interface MetricsSink {
  observe(what: Observation, seconds: number): void;
}

export const socketPath = (mainPid: number) => path.join(tmpdir(), 'interviewer-agent-metrics', `${mainPid}.sock`);

export function workerRegistry(runningJobs: () => number, childRss: () => number[] = childProcessesRss) {
  const registry = new Registry();
  new Gauge({
    name: 'interviewer_agent_jobs_running',
    help: 'Interviews this worker runs now',
    registers: [registry],
    collect() {
      this.set(runningJobs());
    },
  });
  new Gauge({
    name: 'interviewer_agent_job_processes',
    help: 'Child processes of the worker (job processes, idle ones kept warm, the inference process)',
    registers: [registry],
    collect() {
      this.set(childRss().length);
    },
  });
  new Gauge({
    name: 'interviewer_agent_job_processes_rss_bytes',
    help: "Resident memory of the worker's child processes: their sum, and the largest one",
    labelNames: ['of'],
    registers: [registry],
    collect() {
      const sizes = childRss();
      this.set(
        { of: 'sum' },
        sizes.reduce((a, b) => a + b, 0),
      );
      this.set({ of: 'max' }, sizes.length ? Math.max(...sizes) : 0);
    },
  });
  const histograms: Record<Observation, Histogram> = {
    reply_gap: new Histogram({
      name: 'interviewer_agent_reply_gap_seconds',
      help: "From the end of the candidate's turn to the interviewer's first audio (the turn's e2e latency)",
      buckets: [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13],
      registers: [registry],
    }),
    dispatch_to_agent: new Histogram({
      name: 'interviewer_agent_dispatch_to_agent_seconds',
      help: "From the API asking for an agent (the join, or a re-dispatch) to this worker's job in the room",
      buckets: [0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34],
      registers: [registry],
    }),
    join_to_first_audio: new Histogram({
      name: 'interviewer_agent_join_to_first_audio_seconds',
      help: "From the room's creation (the candidate's first join) to the interviewer's first audio; not for resumed interviews",
      buckets: [1, 2, 3, 5, 8, 13, 21, 34, 60, 120],
      registers: [registry],
    }),
  };
  return {
    registry,
    observe(what: Observation, seconds: number) {
      if (Object.hasOwn(histograms, what) && Number.isFinite(seconds) && seconds >= 0) histograms[what].observe(seconds);
    },
  };
}

/** RSS in bytes of each child of this process (Linux /proc; elsewhere an empty list). */
export function childProcessesRss(): number[] {
  try {
    const pageSize = 4096;
    return readdirSync(`/proc/${process.pid}/task`)
      .flatMap((tid) => readFileSync(`/proc/${process.pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .flatMap((pid) => {
        try {
          // statm: size resident shared … in pages.
          return [Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * pageSize];
        } catch {
          return []; // exited between the two reads
        }
      });
  } catch {
    return [];
  }
}

/**
 * In the main worker process: the scrape listener and the socket the job processes report to.
 * Returns a stop function; with AGENT_METRICS_PORT=0, nothing starts.
 */
export function startWorkerMetrics(
  config: Pick<WorkerConfig, 'agent' | 'metrics'>,
  log: Logger,
  runningJobs: () => number,
): () => Promise<void> {
  const { metricsPort: port, metricsHost: host } = config.agent;
  if (port === 0) return async () => {};
  const metrics = workerRegistry(runningJobs);
  const token = config.metrics.token;

  const http: Server = createHttpServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (token !== undefined && !tokenMatches(bearer, token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(await metrics.registry.metrics());
    })().catch((err: unknown) => {
      log.warn({ err: String(err) }, 'metrics scrape failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  http.listen(port, host, () => log.info({ host, port }, 'agent metrics listening'));

  const file = socketPath(process.pid);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  rmSync(file, { force: true });
  const reporters = new Set<Socket>();
  const sock = createSocketServer((conn) => {
    reporters.add(conn);
    conn.on('close', () => reporters.delete(conn));
    let buffered = '';
    conn.setEncoding('utf8');
    conn.on('data', (chunk: string) => {
      buffered += chunk;
      // One JSON object a line; a peer that never ends a line cannot grow the buffer without bound.
      if (buffered.length > 64 * 1024) return conn.destroy();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const o = JSON.parse(line) as { what?: unknown; seconds?: unknown };
          if (typeof o.what === 'string' && typeof o.seconds === 'number') metrics.observe(o.what as Observation, o.seconds);
        } catch {
          // not ours: dropped
        }
      }
    });
    conn.on('error', () => {});
  });
  // The folder is the owner's only already; the socket too, in case the folder was there before.
  sock.listen(file, () => chmodSync(file, 0o600));
  sock.on('error', (err) => log.warn({ err: String(err) }, 'agent metrics socket failed'));

  return async () => {
    const closed = Promise.all([new Promise((r) => http.close(r)), new Promise((r) => sock.close(r))]);
    // close() waits for open connections: a scraper's keep-alive, the job processes' sockets.
    http.closeAllConnections();
    for (const conn of reporters) conn.destroy();
    await closed;
    rmSync(file, { force: true });
  };
}

/**
 * In a job process: sends observations to the main process's socket. Metrics never hold up or
 * break an interview: a missing listener or a broken socket only loses observations.
 */
export function jobMetricsSink(config: Pick<WorkerConfig, 'agent'>, mainPid = process.ppid): MetricsSink {
  if (config.agent.metricsPort === 0) return { observe: () => {} };
  let socket: Socket | null = null;
  return {
    observe(what, seconds) {
      if (!socket || socket.destroyed) {
        socket = connect(socketPath(mainPid));
        socket.on('error', () => socket?.destroy());
        // The job process must be free to exit with the socket open.
        socket.unref();
      }
      socket.write(`${JSON.stringify({ what, seconds })}\n`);
    },
  };
}
