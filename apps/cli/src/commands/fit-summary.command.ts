import { Command } from 'commander';

/** `deload fit-summary <file>`: the mapped run(s) of one FIT file as replay `run` lines; no database. */
export function fitSummaryCommand(): Command {
  return new Command('fit-summary')
    .description('decode one FIT file (or .fit.gz) and print each session as a JSON line (replay "run" fields plus sport, device, records)')
    .argument('<file>', 'the FIT file')
    .action(async (file: string) => {
      // Loaded on use: the decoders are heavy, and other commands should start quickly.
      const { printFitSummary } = await import('./fit-summary.runner');
      await printFitSummary(file);
    });
}
