// How every benchmark ends: bounded in time, cleaned up whatever happens, with an exit code that
// says whether the run was valid.
export async function runBounded(main: () => Promise<number>, cleanup: () => Promise<void>, deadlineMs: number): Promise<never> {
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: did not finish within ${Math.round(deadlineMs / 1000)} s, giving up\n`);
    void cleanup().finally(() => process.exit(1));
  }, deadlineMs);
  deadline.unref();
  let code: number;
  try {
    code = await main();
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    code = 1;
  } finally {
    await cleanup();
    clearTimeout(deadline);
  }
  process.exit(code);
}
