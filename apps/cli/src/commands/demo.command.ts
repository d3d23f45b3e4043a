import { Command, InvalidArgumentError } from 'commander';

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a number of seconds');
  return parsed;
}

/** `deload demo`: seed the demo team, run the real pipeline, print the dashboard and a sign-in link. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'add a demo coach, team and four runners (one steady, three showing warning signs), run the real pipeline, print a sign-in link',
    )
    .option('--timeout <seconds>', 'how long to wait for the rules and the emails', seconds, 180)
    .action(async (options: { timeout: number }) => {
      // Loaded on use: it starts a whole worker in this process.
      const { runDemo } = await import('./demo.runner');
      await runDemo(options.timeout);
    });
}
