// How every benchmark ends: bounded in time, cleaned up whatever happens (success, error, a signal,
// an uncaught exception or the deadline), with an exit code that says whether the run was valid.
// Clean-up stops what testkit started (synthetic participants, managed processes: LiveKit, API,
// worker), then what only the bench started (`cleanup`), then drops the databases.
import { leaveAll } from '../../testkit/candidate.js';
import { dropMigratedDatabases } from '../../testkit/postgres.js';
import { stopAll } from '../../testkit/stack.js';

export async function runBounded(main: () => Promise<number>, deadlineMs: number, cleanup?: () => Promise<void>): Promise<never> {
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await leaveAll().catch(() => undefined);
      await stopAll({ graceMs: 10_000 }).catch(() => undefined);
      await cleanup?.().catch((e: unknown) => process.stderr.write(`bench: clean-up: ${String(e)}\n`));
      await dropMigratedDatabases();
    })());
  process.on('uncaughtException', (e) => {
    process.stderr.write(`bench: ${e.stack ?? e.message}\n`);
    void cleanUp().finally(() => process.exit(1));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      process.stderr.write(`bench: ${signal}, cleaning up\n`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: did not finish within ${Math.round(deadlineMs / 1000)} s, giving up\n`);
    void cleanUp().finally(() => process.exit(1));
  }, deadlineMs);
  deadline.unref();
  let code: number;
  try {
    code = await main();
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    code = 1;
  } finally {
    await cleanUp();
    clearTimeout(deadline);
  }
  process.exit(code);
}

/** An integer setting from the environment, in min..max. */
export function intSetting(name: string, def: number, min: number, max: number): number {
  const v = Number(process.env[name] ?? def);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name} must be an integer in ${min}..${max}`);
  return v;
}
