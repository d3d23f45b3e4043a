/**
 * Polls until `probe` answers something truthy and returns it (background jobs finishing, a
 * server coming up). Generous by default: the machine running the tests may be busy, though a job
 * normally completes within a second. `what` names the wait in the timeout error; a function is
 * asked only then, to report the state at that moment.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
