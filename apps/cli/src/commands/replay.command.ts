import { Command, Option } from 'commander';
import { ALERT_EMAIL_LEVELS } from '@deload/domain';
import type { ReplayCommandOptions } from './replay.runner';

const HELP = `
Input: NDJSON, one object per line, grouped by "athlete" (default "me"):
  {"type":"athlete","athlete":"a1","timezone":"Europe/Oslo"}
  {"type":"shoe","athlete":"a1","id":"s1","name":"Pegasus 40","distance_m":612000,"retire_m":800000}
  {"type":"run","athlete":"a1","id":"r1","start":"2025-03-02T07:10:00+01:00","distance_m":10230,"moving_s":3120,
   "elapsed_s":3300,"elevation_gain_m":85,"elevation_loss_m":80,"cadence_spm":168,"avg_hr":151,"shoe":"s1"}
  {"type":"pain","athlete":"a1","run":"r1","location":"lateral_knee","onset_m":6500,"onset_s":2100,"severity":4}
Fields (distances in metres, durations in seconds; unknown fields are ignored, so the output of
\`deload fit-summary\` can be fed in as it is):
  athlete  timezone (IANA, default UTC: days and weeks are the runner's own), units (km or mi)
  shoe     id (required), name, distance_m (what it had before the first run in the file),
           retire_m, retired
  run      id, start, distance_m (required; start is ISO 8601, without an offset it is the
           athlete's wall-clock time), moving_s, elapsed_s, elevation_gain_m, elevation_loss_m,
           cadence_spm (steps a minute, both feet), avg_hr, shoe (a shoe id), sport (not running:
           skipped)
  pain     run (a run id, required), location (lateral_knee, knee, hip, shin, calf, achilles,
           foot, other), onset_m and/or onset_s (how far into the run), severity 0-10, has_pain

Output: one JSON line per alert email that would have been sent, on the runner's local date. An
email leads with its strongest signal (rule, severity, message, facts); the other signals it
carries under "also this week" are in "also", present only when there are some:
  {"athlete":"a1","date":"2025-03-09","rule":"single-run-spike","severity":"caution","message":"…",
   "facts":{…},"also":[{"rule":"weekly-increase","severity":"caution","message":"…"}]}

--stats prints instead, per athlete and in total: runs, months covered (first to last run),
alert emails, emails per runner-month, and the signals of each rule as emailed / summary only
(in an email, leading it or under "also", or only in the weekly summary and on the dashboard).

Bad lines are reported on stderr with their line number and skipped (exit 1); usage errors exit 2.
Full description: docs/replay.md.`;

/**
 * `deload replay --input <file.ndjson|-> [--rules <rules.json>] [--alert-emails <level>] [--stats]`
 * (docs/replay.md): the rules engine, alert lifecycle and email policy over a training log, day by
 * day as if live; one JSON line per alert email that would have been sent, or the statistics.
 * Bad lines go to stderr with their number and are skipped (exit 1). No database, no Redis.
 */
export function replayCommand(): Command {
  return new Command('replay')
    .description('replay a training log (NDJSON) through the rules engine and print the alert emails that would have been sent')
    .requiredOption('--input <file>', 'the training log, one JSON object per line; - reads stdin')
    .option('--rules <file>', 'JSON file of threshold overrides, e.g. {"weekly-increase":{"caution":1.4}}')
    .addOption(
      new Option('--alert-emails <level>', "the runners' alert email setting: all (as they happen), strongest, none (weekly summary only)")
        .choices(ALERT_EMAIL_LEVELS)
        .default('all'),
    )
    .option('--stats', 'print runs, months, emails per runner-month and signals by rule per athlete and in total, instead of the emails')
    .addHelpText('after', HELP)
    .action(async (options: ReplayCommandOptions) => {
      // Loaded on use: the rules engine is only needed when replaying, and other commands should start quickly.
      const { runReplay } = await import('./replay.runner');
      await runReplay(options);
    });
}
