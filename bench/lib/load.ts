// A closed-loop HTTP/1.1 load generator on raw keep-alive sockets: each connection sends one
// request, waits for the whole response, and sends the next. Raw sockets keep the generator's own
// CPU small (the machine has 2 cores, shared with the servers and Postgres). Only 127.0.0.1.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface LoadRequest {
  port: number;
  method: 'GET' | 'POST';
  path: string;
  /** JSON body (sent with Content-Type: application/json). */
  body?: string;
}

export interface LoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Is this response a success? Anything else counts as an error (the run is then invalid). */
  check(status: number, body: string): boolean;
}

export interface LoadResult {
  /** Responses completed inside the measured window. */
  requests: number;
  /** Good responses over warm-up and measurement (for CPU per request). */
  completed: number;
  /** Responses that failed `check`, socket errors and timeouts, over warm-up and measurement. */
  errors: number;
  /** The first few failures, for the report. */
  errorSamples: string[];
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

const HOST = '127.0.0.1';
const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** A response slower than this is an error (and the run ends rather than hangs). */
const RESPONSE_TIMEOUT_MS = 10_000;

export function buildRequest(r: LoadRequest): Buffer {
  const body = r.body ?? '';
  const head =
    `${r.method} ${r.path} HTTP/1.1\r\nHost: ${HOST}:${r.port}\r\nConnection: keep-alive\r\n` +
    (r.body !== undefined ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') +
    '\r\n';
  return Buffer.from(head + body);
}

interface Parsed {
  status: number;
  body: string;
  /** Bytes of the buffer the response used. */
  used: number;
}

/** One complete response from the start of `buf`, or null if more bytes are needed. */
function parseResponse(buf: Buffer): Parsed | null {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return null;
  const head = buf.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + 4;
  const lower = head.toLowerCase();
  const cl = /\r\ncontent-length:\s*(\d+)/.exec(lower);
  if (cl) {
    const len = Number(cl[1]);
    if (buf.length < bodyStart + len) return null;
    return { status, body: buf.toString('utf8', bodyStart, bodyStart + len), used: bodyStart + len };
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
    const parts: Buffer[] = [];
    let pos = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf(CRLF, pos);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', pos, lineEnd), 16);
      if (Number.isNaN(size)) throw new Error('bad chunk size');
      const dataStart = lineEnd + 2;
      if (size === 0) {
        // No trailers expected: the last chunk is followed by an empty line.
        if (buf.length < dataStart + 2) return null;
        return { status, body: Buffer.concat(parts).toString('utf8'), used: dataStart + 2 };
      }
      if (buf.length < dataStart + size + 2) return null;
      parts.push(buf.subarray(dataStart, dataStart + size));
      pos = dataStart + size + 2;
    }
  }
  // 204/304 or a response without a body.
  return { status, body: '', used: bodyStart };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Connection i sends `reqs[i % reqs.length]`, over and over. */
export async function runLoad(reqs: LoadRequest[], opts: LoadOptions): Promise<LoadResult> {
  const payloads = reqs.map(buildRequest);
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const measureTo = measureFrom + opts.durationMs;
  let latencies = new Float64Array(1 << 16);
  let requests = 0;
  let completed = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  let running = true;

  const fail = (what: string) => {
    errors += 1;
    if (errorSamples.length < 5) errorSamples.push(what.slice(0, 300));
  };
  const record = (sentAt: number, doneAt: number) => {
    completed += 1;
    if (doneAt < measureFrom || doneAt > measureTo) return;
    if (requests === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[requests++] = doneAt - sentAt;
  };

  const connection = (_: unknown, i: number) =>
    new Promise<void>((resolve) => {
      const req = reqs[i % reqs.length]!;
      const payload = payloads[i % reqs.length]!;
      let buf: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      let timer: NodeJS.Timeout | undefined;
      const socket = net.connect({ host: HOST, port: req.port });
      socket.setNoDelay(true);
      const send = () => {
        if (!running || performance.now() >= measureTo) {
          finish();
          return;
        }
        sentAt = performance.now();
        socket.write(payload);
        timer?.refresh();
      };
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve();
      };
      timer = setTimeout(() => {
        fail(`no response within ${RESPONSE_TIMEOUT_MS} ms`);
        finish();
      }, RESPONSE_TIMEOUT_MS);
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        let parsed: Parsed | null;
        try {
          parsed = parseResponse(buf);
        } catch (e) {
          fail(`unparsable response: ${String(e)}`);
          finish();
          return;
        }
        if (!parsed) return;
        const doneAt = performance.now();
        buf = buf.subarray(parsed.used);
        if (opts.check(parsed.status, parsed.body)) record(sentAt, doneAt);
        else fail(`${parsed.status} ${parsed.body}`);
        send();
      });
      socket.on('error', (e) => {
        fail(`socket: ${e.message}`);
        finish();
      });
      socket.on('close', () => {
        if (!done) fail('connection closed by the server');
        finish();
      });
    });

  const timer = setTimeout(() => (running = false), opts.warmupMs + opts.durationMs);
  try {
    await Promise.all(Array.from({ length: opts.connections }, connection));
  } finally {
    clearTimeout(timer);
    running = false;
  }

  const sorted = latencies.slice(0, requests).sort();
  return {
    requests,
    completed,
    errors,
    errorSamples,
    rps: requests / (opts.durationMs / 1000),
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}
