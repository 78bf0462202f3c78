// Benchmark: the candidate join (`POST /api/public/interview/join/:roomCode`) against a bare Hono
// route doing the join's one SQL statement (admitToRoom), in one run, on this machine.
// Goal (issue): join ≥ 0.6× that baseline. A bare `SELECT 1` route is reported for information.
//
//   npx tsx bench/join.ts            (or `npm run bench`)
//
// Env: BENCH_DATABASE_URL (admin URL, default TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres),
// BENCH_CONNECTIONS (10), BENCH_WARMUP_S (2), BENCH_DURATION_S (6), BENCH_ROUNDS (5),
// BENCH_ROOMS (1: every connection joins the same room).
// Writes bench/results/join.{json,svg} (and .png when rsvg-convert exists). Exit 1 when any
// response was wrong (the figures are then invalid) or the run failed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { hrUser, PHONE, room, startHarness } from '../testkit/api.js';
import { migratedDatabase } from '../testkit/postgres.js';
import { median } from '../testkit/stats.js';
import { backendCpu, cpuDelta } from './lib/cpu.js';
import { runLoad, type LoadResult } from './lib/load.js';
import type { TargetKind } from './lib/server.js';
import { startServer, stopServers, type Server } from './lib/servers.js';
import { runBounded } from './lib/run.js';
import { barChartSvg, writeChart } from './lib/svg.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(here, 'results');
const GOAL = 0.6;

const int = (name: string, def: number) => {
  const v = Number(process.env[name] ?? def);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const settings = {
  connections: Math.round(int('BENCH_CONNECTIONS', 10)),
  warmupMs: int('BENCH_WARMUP_S', 2) * 1000,
  durationMs: int('BENCH_DURATION_S', 6) * 1000,
  rounds: Math.round(int('BENCH_ROUNDS', 5)),
  /** Rooms joined: connection i joins room i % rooms. 1 (default): every request hits one interview row. */
  rooms: Math.round(int('BENCH_ROOMS', 1)),
};
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const FIRST_NAME = 'Ahmed';
const LAST_NAME = 'Hassan';

/** The bench's database (its backends' CPU is measured). */
let dbName: string | undefined;

// ---------------------------------------------------------------------------------------------
// Setup: a migrated database with one joinable interview, made through the API itself.

async function setupDatabase(): Promise<{ url: string; roomCodes: string[] }> {
  const database = await migratedDatabase({ adminUrl: ADMIN_URL });
  dbName = database.name;
  const h = await startHarness({}, { ...database, close: async () => {} });
  const hr = await hrUser(h);
  const roomCodes: string[] = [];
  for (let i = 0; i < settings.rooms; i++) {
    const { roomCode } = await room(h, hr.auth);
    // One join through the app in-process first: the fixture must be joinable before load starts.
    const res = await h.request(`/api/public/interview/join/${roomCode}`, {
      method: 'POST',
      json: { phoneNumber: PHONE, firstName: FIRST_NAME, lastName: LAST_NAME },
    });
    if (res.status !== 200) throw new Error(`fixture join → ${res.status} ${await res.text()}`);
    roomCodes.push(roomCode);
  }
  // The servers have pools of their own; runBounded closes this one and drops the database at the end.
  return { url: database.url, roomCodes };
}

const secret = () => randomBytes(24).toString('base64url'); // 32 characters

// ---------------------------------------------------------------------------------------------
// Targets and rounds.

interface Target {
  name: string;
  kind: TargetKind;
  what: string;
  path(roomCode: string): string;
  check(status: number, body: string): boolean;
}

const json = (body: string): Record<string, unknown> | null => {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
};

function targets(): Target[] {
  return [
    {
      name: 'join',
      kind: 'app',
      what: 'the real API: POST /api/public/interview/join/:roomCode',
      path: (code) => `/api/public/interview/join/${code}`,
      check: (s, b) => {
        const t = s === 200 ? json(b)?.token : undefined;
        return typeof t === 'string' && t.length > 0;
      },
    },
    {
      name: 'admit',
      kind: 'admit',
      what: 'bare Hono route: admitToRoom() (the join statement), row as JSON',
      path: (code) => `/admit/${code}`,
      check: (s, b) => s === 200 && json(b)?.admitted === true,
    },
    {
      name: 'select1',
      kind: 'select1',
      what: 'bare Hono route: SELECT 1 (informational)',
      path: () => '/select1',
      check: (s, b) => s === 200 && json(b)?.one === 1,
    },
  ];
}

interface Measurement extends LoadResult {
  target: string;
  round: number;
  serverCpuUsPerReq: number;
  pgCpuUsPerReq: number | null;
  loadGenCpuUsPerReq: number;
}

async function measure(
  t: Target,
  server: Server,
  round: number,
  roomCodes: string[],
  body: string,
  statsClient: pg.Client,
): Promise<Measurement> {
  const cpu0 = await server.cpuUs();
  const pg0 = await backendCpu(statsClient, dbName!);
  const gen0 = process.cpuUsage();
  const r = await runLoad(
    roomCodes.map((code) => ({ port: server.port, method: 'POST' as const, path: t.path(code), body })),
    { connections: settings.connections, warmupMs: settings.warmupMs, durationMs: settings.durationMs, check: t.check },
  );
  const gen = process.cpuUsage(gen0);
  const pg1 = await backendCpu(statsClient, dbName!);
  const cpu1 = await server.cpuUs();
  const n = Math.max(1, r.completed);
  return {
    target: t.name,
    round,
    ...r,
    serverCpuUsPerReq: (cpu1 - cpu0) / n,
    pgCpuUsPerReq: pg0 && pg1 ? cpuDelta(pg0, pg1) / n : null,
    loadGenCpuUsPerReq: (gen.user + gen.system) / n,
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  process.stdout.write(
    `bench join: ${settings.rounds} rounds × ${targets().length} targets, ${settings.connections} connections, ` +
      `${settings.rooms} room${settings.rooms === 1 ? '' : 's'}, ` +
      `${settings.warmupMs / 1000} s warm-up + ${settings.durationMs / 1000} s measured each; ` +
      `${os.cpus().length} CPUs, Node ${process.version}\n`,
  );
  const { url, roomCodes } = await setupDatabase();

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    // Nothing listens there, and join never calls LiveKit (the token is signed locally).
    LIVEKIT_URL: 'ws://127.0.0.1:9',
    LIVEKIT_API_KEY: `bench-${secret()}`,
    LIVEKIT_API_SECRET: secret(),
    LINK_SECRET: secret(),
    SESSION_SECRET: secret(),
    ADMIN_EMAIL: 'bench-admin@example.com',
    ADMIN_PASSWORD: secret(),
    // The limiter's upsert still runs on every join; it just never says no.
    RATE_LIMIT_PER_IP: '1000000000',
    RATE_LIMIT_PER_KEY: '1000000000',
    BENCH_PHONE: PHONE,
    BENCH_DISPLAY_NAME: `${FIRST_NAME} ${LAST_NAME}`,
  };
  const all = targets();
  const servers = new Map<string, Server>();
  // BENCH_CPU_PROF=1: a V8 CPU profile per server in bench/results/prof/<kind>/.
  const profDir = (kind: TargetKind) => (process.env.BENCH_CPU_PROF === '1' ? path.join(RESULTS, 'prof', kind) : undefined);
  for (const t of all) servers.set(t.name, await startServer(t.kind, env, profDir(t.kind)));

  const body = JSON.stringify({ phoneNumber: PHONE, firstName: FIRST_NAME, lastName: LAST_NAME });
  const statsClient = new pg.Client({ connectionString: url });
  await statsClient.connect();
  const results: Measurement[] = [];
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      // ABC, CBA, ABC…: a drift in the machine's load hits every target alike.
      const order = round % 2 === 1 ? all : [...all].reverse();
      for (const t of order) {
        const m = await measure(t, servers.get(t.name)!, round, roomCodes, body, statsClient);
        results.push(m);
        process.stdout.write(
          `  round ${round} ${t.name.padEnd(8)} ${Math.round(m.rps).toString().padStart(6)} rps  ` +
            `p50 ${m.p50Ms.toFixed(2)} ms  p99 ${m.p99Ms.toFixed(2)} ms` +
            (m.errors ? `  ${m.errors} ERRORS` : '') +
            '\n',
        );
      }
    }
  } finally {
    await statsClient.end();
  }

  // -------------------------------------------------------------------------------------------
  // Summary.
  const of = (name: string) => results.filter((r) => r.target === name);
  const summary = all.map((t) => {
    const rs = of(t.name);
    const pgs = rs.map((r) => r.pgCpuUsPerReq).filter((x): x is number => x !== null);
    return {
      target: t.name,
      what: t.what,
      rpsMedian: median(rs.map((r) => r.rps)),
      rpsMin: Math.min(...rs.map((r) => r.rps)),
      rpsMax: Math.max(...rs.map((r) => r.rps)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      serverCpuUsPerReq: median(rs.map((r) => r.serverCpuUsPerReq)),
      pgCpuUsPerReq: pgs.length ? median(pgs) : null,
      loadGenCpuUsPerReq: median(rs.map((r) => r.loadGenCpuUsPerReq)),
      errors: rs.reduce((n, r) => n + r.errors, 0),
      errorSamples: rs.flatMap((r) => r.errorSamples).slice(0, 5),
    };
  });
  const perRound = (a: string, b: string) =>
    Array.from({ length: settings.rounds }, (_, i) => {
      const ra = of(a).find((r) => r.round === i + 1)!;
      const rb = of(b).find((r) => r.round === i + 1)!;
      return ra.rps / rb.rps;
    });
  const joinVsAdmit = perRound('join', 'admit');
  const joinVsSelect1 = perRound('join', 'select1');
  const admitVsSelect1 = perRound('admit', 'select1');
  const ratio = median(joinVsAdmit);
  const errors = summary.reduce((n, s) => n + s.errors, 0);
  const valid = errors === 0;
  const goalMet = valid && ratio >= GOAL;

  const f = (n: number | null, d = 0) => (n === null ? 'n/a' : n.toFixed(d));
  const rows = [
    ['target', 'rps (median)', 'min–max', 'p50 ms', 'p99 ms', 'server µs/req', 'pg µs/req', 'errors'],
    ...summary.map((s) => [
      s.target,
      f(s.rpsMedian),
      `${f(s.rpsMin)}–${f(s.rpsMax)}`,
      f(s.p50Ms, 2),
      f(s.p99Ms, 2),
      f(s.serverCpuUsPerReq),
      f(s.pgCpuUsPerReq),
      String(s.errors),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write('\n');
  for (const r of rows) process.stdout.write(`${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}\n`);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(', ');
  process.stdout.write(
    `\njoin / admit   = ${ratio.toFixed(3)}  (median of rounds: ${list(joinVsAdmit)})  goal ≥ ${GOAL}: ${!valid ? 'n/a, INVALID RUN' : goalMet ? 'MET' : 'NOT MET'}\n` +
      `join / select1 = ${median(joinVsSelect1).toFixed(3)}   admit / select1 = ${median(admitVsSelect1).toFixed(3)}  (informational)\n`,
  );

  // -------------------------------------------------------------------------------------------
  // Files.
  mkdirSync(RESULTS, { recursive: true });
  const report = {
    benchmark: 'join',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg() },
    settings,
    goal: { ratio: GOAL, metric: 'join rps / admit rps, median of per-round ratios' },
    valid,
    goalMet,
    ratio: { joinVsAdmit: ratio, joinVsSelect1: median(joinVsSelect1), admitVsSelect1: median(admitVsSelect1) },
    perRoundRatios: { joinVsAdmit, joinVsSelect1, admitVsSelect1 },
    summary,
    rounds: results,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(path.join(RESULTS, 'join.json'), `${JSON.stringify(report, null, 2)}\n`);
  const colors: Record<string, string> = { join: '#4e79a7', admit: '#f28e2b', select1: '#bab0ac' };
  const bar = (name: string) => {
    const s = summary.find((x) => x.target === name)!;
    return {
      label: s.target,
      value: s.rpsMedian,
      min: s.rpsMin,
      max: s.rpsMax,
      color: colors[s.target],
      notes: [
        `p50 ${s.p50Ms.toFixed(2)} ms · p99 ${s.p99Ms.toFixed(2)} ms`,
        `CPU/req: node ${f(s.serverCpuUsPerReq)} µs · pg ${f(s.pgCpuUsPerReq)} µs`,
        s.errors ? `${s.errors} errors` : '',
      ],
    };
  };
  const svg = barChartSvg({
    title: `Join throughput: ${ratio.toFixed(2)}× the bare admitToRoom route (goal ≥ ${GOAL}×${valid ? '' : ', INVALID RUN'})`,
    subtitle: [
      `${settings.connections} keep-alive connections on ${settings.rooms} room${settings.rooms === 1 ? '' : 's'}, ${settings.rounds} round${settings.rounds === 1 ? '' : 's'} × ${settings.durationMs / 1000} s each; bars: median, whiskers: min–max over rounds`,
      `${os.cpus().length} CPUs shared by load generator, servers and Postgres · ${report.date.slice(0, 16).replace('T', ' ')} UTC`,
    ],
    yLabel: 'requests per second',
    panels: [
      {
        heading: 'the goal: join vs. its own SQL statement',
        bars: ['join', 'admit'].map(bar),
        goal: { value: bar('admit').value * GOAL, label: `goal: ${GOAL} × admit` },
      },
      { heading: 'for information (own scale)', bars: ['select1'].map(bar) },
    ],
  });
  const files = writeChart(RESULTS, 'join', svg);
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), RESULTS)}/join.json, ${files.join(', ')}\n`);

  if (!valid) {
    process.stdout.write(`\nINVALID RUN: ${errors} requests failed their check, e.g.:\n`);
    for (const s of summary) for (const e of s.errorSamples) process.stdout.write(`  ${s.target}: ${e}\n`);
    return 1;
  }
  return 0;
}

// The whole run is bounded: setup, servers and rounds, plus a margin.
const deadlineMs = settings.rounds * targets().length * (settings.warmupMs + settings.durationMs + 5000) + 120_000;
await runBounded(main, deadlineMs, stopServers);
