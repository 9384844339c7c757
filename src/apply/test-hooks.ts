// Fault-injection hook for the test suite, inert unless its variable is set:
// LOCKPLANE_TEST_PAUSE_AFTER_STEP=N makes apply print a marker on stderr
// once step N is done and then wait (to be killed) — inside the step's
// transaction, or after the COMMIT when step N ends its group.
export const PAUSE_VARIABLE = 'LOCKPLANE_TEST_PAUSE_AFTER_STEP';

export async function pauseAfterStepForTests(stepNumber: number): Promise<void> {
  const wanted = process.env[PAUSE_VARIABLE];
  if (wanted === undefined || Number(wanted) !== stepNumber) return;
  process.stderr.write(`LOCKPLANE_TEST_PAUSED after step ${stepNumber}\n`);
  await new Promise<never>(() => setInterval(() => undefined, 60_000));
}
