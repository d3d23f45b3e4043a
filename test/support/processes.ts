import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait';

export const ROOT = join(__dirname, '..', '..');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A compiled entry point (dist/…, built by global-setup) running as a real process. */
export class RunningProcess {
  stdout = '';
  stderr = '';
  readonly finished: Promise<Finished>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk) => (this.stdout += chunk));
    child.stderr?.on('data', (chunk) => (this.stderr += chunk));
    this.finished = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      () => `${pattern}:\n${this.stdout}\n${this.stderr}`,
      () => {
        if (this.child.exitCode !== null)
          throw new Error(`process exited (${this.child.exitCode}) before printing ${pattern}:\n${this.stdout}\n${this.stderr}`);
        return pattern.test(this.stdout + this.stderr);
      },
      timeoutMs,
    );
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Finished> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.finished;
  }
}

/** `nodeArgs` go to node before the entry point (e.g. `--cpu-prof`). */
export function startCompiled(entry: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): RunningProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return new RunningProcess(child);
}

/** A worker without cron in a process of its own (test/support/no-cron-worker.js), to be killed mid-job. */
export async function startNoCronWorker(env: Record<string, string>): Promise<RunningProcess> {
  const worker = startCompiled('test/support/no-cron-worker.js', [], { DELOAD_TEST_WORKER_ENV: JSON.stringify(env) });
  await worker.waitForOutput(/worker ready/);
  return worker;
}
