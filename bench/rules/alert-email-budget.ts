/**
 * Alert emails per runner-month on a generated population of everyday runners (runner-population.ts),
 * replayed through `deload replay`'s engine, lifecycle and email policy, with the targets checked:
 *   - ≤ 0.6 alert emails per runner-month on average;
 *   - every run more than 10 % longer than the longest of the previous 30 days (after 30 days of
 *     history; one per 7 days) leads an email within a day — or, when pain coming earlier (the one
 *     signal ranked above it) leads that email, comes right under it in "also this week";
 *   - every pain-earlier signal is in an email within a day of opening, at the highest severity it reached.
 *
 *   node -r ./bench/support/register.js bench/rules/alert-email-budget.ts [--runners 300] [--seed 1]
 *
 * Exits 1 when a target is missed.
 *
 * It also measures versions of Deload from before the email policy (whose replay reports no
 * signals, and one line per alert email): copy this file and runner-population.ts into such a tree
 * and run the same command (BENCHMARKS.md shows how); the pain check is then left out.
 */
import { Replay, ReplayResult, ReplaySignal } from '@deload/rules';
import { argument } from '../support/options';
import { runBench, Target } from '../support/targets';
import { population } from './runner-population';

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Math.round(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);

interface RunFact {
  id: string;
  day: number;
  distanceM: number;
}

/** Runs that must lead an email: > 10 % longer than the longest of the 30 days before, after 30 days of history, one per 7 days. */
function requiredSpikes(runs: RunFact[]): RunFact[] {
  const required: RunFact[] = [];
  const first = runs[0]?.day;
  let lastRequired = -Infinity;
  for (let index = 0; index < runs.length; index++) {
    const run = runs[index];
    if (run.day - first < 30 || run.day - lastRequired < 7) continue;
    let longest = 0;
    for (let earlier = index - 1; earlier >= 0 && runs[earlier].day >= run.day - 30; earlier--)
      longest = Math.max(longest, runs[earlier].distanceM);
    if (longest > 0 && run.distanceM > longest * 1.1 + 1e-6) {
      required.push(run);
      lastRequired = run.day;
    }
  }
  return required;
}

type FirstEmail = ReplaySignal['firstEmail'];

/** Each spike run's first email, from the signals — or, before the policy, from the alert lines (each one email). */
function spikeEmails(result: ReplayResult): Map<string, FirstEmail> {
  if (result.signals)
    return new Map(
      result.signals
        .filter((signal) => signal.rule === 'single-run-spike')
        .map((signal) => [`${signal.athlete}/${signal.dedupeKey}`, signal.firstEmail]),
    );
  const emails = new Map<string, FirstEmail>();
  for (const alert of result.alerts)
    if (alert.rule === 'single-run-spike')
      emails.set(`${alert.athlete}/run-${String(alert.facts.runId)}`, { date: alert.date, role: 'lead', leadRule: alert.rule });
  return emails;
}

/** Spikes that led their email in time, came first under a pain-led one, or were missed. */
function checkSpikes(runsByAthlete: Map<string, RunFact[]>, emails: Map<string, FirstEmail>) {
  const outcome = { required: 0, led: 0, underPain: 0, missed: [] as string[] };
  for (const [athlete, runs] of runsByAthlete) {
    for (const run of requiredSpikes(runs)) {
      outcome.required += 1;
      const email = emails.get(`${athlete}/run-${run.id}`);
      const inTime = !!email && dayOf(email.date) - run.day <= 1;
      if (inTime && email.role === 'lead') outcome.led += 1;
      else if (inTime && email.leadRule === 'pain-earlier') outcome.underPain += 1;
      else outcome.missed.push(`${athlete} ${run.id}`);
    }
  }
  return outcome;
}

/** Pain-earlier signals not in an email within a day of opening, or never emailed at their highest severity. */
function painMissed(signals: ReplaySignal[]): ReplaySignal[] {
  return signals.filter(
    (signal) =>
      signal.rule === 'pain-earlier' &&
      (!signal.firstEmail || dayOf(signal.firstEmail.date) - dayOf(signal.opened) > 1 || signal.emailedSeverity !== signal.severity),
  );
}

/** How the emails fall, to compare with issue 12's real exports: weekly-increase and downhill emails within 7 days after a spike email; weeks with two or more. */
function clustering(result: ReplayResult): string {
  const spikeDays = new Map<string, number[]>();
  const weeks = new Map<string, number>();
  for (const alert of result.alerts) {
    if (alert.rule === 'single-run-spike') spikeDays.set(alert.athlete, [...(spikeDays.get(alert.athlete) ?? []), dayOf(alert.date)]);
    const week = `${alert.athlete}/${Math.floor((dayOf(alert.date) + 3) / 7)}`;
    weeks.set(week, (weeks.get(week) ?? 0) + 1);
  }
  const afterSpike = (rule: string) => {
    const all = result.alerts.filter((alert) => alert.rule === rule);
    const near = all.filter((alert) =>
      (spikeDays.get(alert.athlete) ?? []).some((day) => dayOf(alert.date) - day >= 0 && dayOf(alert.date) - day < 7),
    );
    return `${near.length} of ${all.length}`;
  };
  const twoOrMore = [...weeks.values()].filter((count) => count > 1).length;
  return `leading within 7 days after a spike email: weekly-increase ${afterSpike('weekly-increase')}, downhill-spike ${afterSpike('downhill-spike')}; weeks with an email: ${weeks.size}, with two or more: ${twoOrMore}`;
}

function main(): Target[] {
  const runners = argument('runners', 300);
  const seed = argument('seed', 1);
  const replay = new Replay(undefined, { signals: true });
  const runsByAthlete = new Map<string, RunFact[]>();
  let lines = 0;
  for (const line of population({ runners, seed })) {
    replay.addLine(line);
    lines += 1;
    if (!line.includes('"type":"run"')) continue;
    const run = JSON.parse(line) as { athlete: string; id: string; start: string; distance_m: number };
    const list = runsByAthlete.get(run.athlete) ?? [];
    list.push({ id: run.id, day: dayOf(run.start), distanceM: run.distance_m });
    runsByAthlete.set(run.athlete, list);
  }
  const started = performance.now();
  const result = replay.run();
  const seconds = (performance.now() - started) / 1000;
  if (result.problems.length) throw new Error(`the generated log has bad lines: ${JSON.stringify(result.problems.slice(0, 3))}`);

  let months = 0;
  for (const runs of runsByAthlete.values()) months += (runs[runs.length - 1].day - runs[0].day + 1) / (365.25 / 12);
  const perMonth = result.alerts.length / months;
  const leads = new Map<string, number>();
  for (const alert of result.alerts) leads.set(alert.rule, (leads.get(alert.rule) ?? 0) + 1);
  const signals = new Map<string, { emailed: number; summaryOnly: number }>();
  for (const signal of result.signals ?? []) {
    const count = signals.get(signal.rule) ?? { emailed: 0, summaryOnly: 0 };
    if (signal.firstEmail) count.emailed += 1;
    else count.summaryOnly += 1;
    signals.set(signal.rule, count);
  }
  const spikes = checkSpikes(runsByAthlete, spikeEmails(result));
  const pain = result.signals?.filter((signal) => signal.rule === 'pain-earlier');
  const painMisses = painMissed(result.signals ?? []);
  const withAlso = result.alerts.filter((alert) => alert.also?.length).length;

  console.log(
    `population: ${runners} runners (seed ${seed}), ${lines.toLocaleString('en')} lines, ${result.runs.toLocaleString('en')} runs, ` +
      `${months.toFixed(0)} runner-months; replayed in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `alert emails: ${result.alerts.length} → ${perMonth.toFixed(3)} per runner-month (target ≤ 0.6); ${withAlso} carry "also this week"`,
  );
  console.log(
    `  led by: ${[...leads]
      .sort((a, b) => b[1] - a[1])
      .map(([rule, count]) => `${rule} ${count}`)
      .join(', ')}`,
  );
  if (result.signals)
    console.log(
      `  signals (emailed / weekly summary only): ${[...signals].map(([rule, count]) => `${rule} ${count.emailed}/${count.summaryOnly}`).join(', ')}`,
    );
  console.log(`  ${clustering(result)}`);
  console.log(
    `long-run spikes that must lead an email within a day: ${spikes.required}; led ${spikes.led}, first under a pain-earlier lead ${spikes.underPain}, ` +
      `missed ${spikes.missed.length}${spikes.missed.length ? ` (e.g. ${spikes.missed.slice(0, 5).join(', ')})` : ''}`,
  );
  if (pain)
    console.log(`pain-earlier signals: ${pain.length}; emailed within a day at their highest severity: ${pain.length - painMisses.length}`);
  else console.log('pain-earlier signals: not reported by this version of the replay');
  return [
    { measure: 'alert emails per runner-month', value: +perMonth.toFixed(3), unit: 'emails', atMost: 0.6 },
    { measure: 'long-run spikes without their email', value: spikes.missed.length, unit: 'spikes', atMost: 0 },
    { measure: 'pain-earlier signals without their email', value: painMisses.length, unit: 'signals', atMost: 0 },
  ];
}

runBench('rules/alert-email-budget', main);
