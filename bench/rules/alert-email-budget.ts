/**
 * Alert emails per runner-month on a generated population of everyday runners (runner-population.ts),
 * replayed through `deload replay`'s engine and email policy, with the targets checked:
 *   - ≤ 0.6 alert emails per runner-month on average;
 *   - every run more than 10 % longer than the longest of the previous 30 days (after 30 days of
 *     history; one per 7 days) leads an email within a day;
 *
 *   node -r ./bench/support/register.js bench/rules/alert-email-budget.ts [--runners 300] [--seed 1]
 *
 * Exits 1 when a target is missed.
 */
import { Replay } from '@deload/rules';
import { argument } from '../support/options';
import { population } from './runner-population';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 365.25 / 12;
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

function main(): void {
  const runners = argument('runners', 300);
  const seed = argument('seed', 1);
  const replay = new Replay();
  const runsByAthlete = new Map<string, RunFact[]>();
  let lines = 0;
  for (const line of population({ runners, seed })) {
    replay.addLine(line);
    lines += 1;
    if (line.includes('"type":"run"')) {
      const run = JSON.parse(line) as { athlete: string; id: string; start: string; distance_m: number };
      const list = runsByAthlete.get(run.athlete) ?? [];
      list.push({ id: run.id, day: dayOf(run.start), distanceM: run.distance_m });
      runsByAthlete.set(run.athlete, list);
    }
  }
  const started = performance.now();
  const result = replay.run();
  const seconds = (performance.now() - started) / 1000;
  if (result.problems.length) throw new Error(`the generated log has bad lines: ${JSON.stringify(result.problems.slice(0, 3))}`);

  let months = 0;
  for (const runs of runsByAthlete.values()) months += (runs[runs.length - 1].day - runs[0].day + 1) / MONTH_DAYS;
  const emailsByRule = new Map<string, number>();
  for (const alert of result.alerts) emailsByRule.set(alert.rule, (emailsByRule.get(alert.rule) ?? 0) + 1);
  const perMonth = result.alerts.length / months;

  const spikeEmails = new Map<string, number>();
  for (const alert of result.alerts)
    if (alert.rule === 'single-run-spike') spikeEmails.set(`${alert.athlete}/${String(alert.facts.runId)}`, dayOf(alert.date));
  let required = 0;
  const missed: string[] = [];
  for (const [athlete, runs] of runsByAthlete) {
    for (const run of requiredSpikes(runs)) {
      required += 1;
      const emailed = spikeEmails.get(`${athlete}/${run.id}`);
      if (emailed === undefined || emailed - run.day > 1) missed.push(`${athlete} ${run.id}`);
    }
  }

  console.log(
    `population: ${runners} runners (seed ${seed}), ${lines.toLocaleString('en')} lines, ${result.runs.toLocaleString('en')} runs, ${months.toFixed(0)} runner-months; replayed in ${seconds.toFixed(1)} s`,
  );
  console.log(`alert emails: ${result.alerts.length} → ${perMonth.toFixed(2)} per runner-month (target ≤ 0.6)`);
  console.log(
    `  by rule: ${[...emailsByRule]
      .sort((a, b) => b[1] - a[1])
      .map(([rule, count]) => `${rule} ${count}`)
      .join(', ')}`,
  );
  // How the emails fall, to compare with the real exports of issue 12 (weekly-increase and downhill emails
  // within 7 days after a spike email; weeks with an email that had two or more).
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
  console.log(
    `  within 7 days after a spike email: weekly-increase ${afterSpike('weekly-increase')}, downhill-spike ${afterSpike('downhill-spike')}; ` +
      `weeks with an email: ${weeks.size}, with two or more: ${[...weeks.values()].filter((count) => count > 1).length}`,
  );
  console.log(
    `long-run spikes that must lead an email within a day: ${required}, missed ${missed.length}${missed.length ? ` (e.g. ${missed.slice(0, 5).join(', ')})` : ''}`,
  );
  const misses = [perMonth > 0.6 && 'emails per runner-month above 0.6', missed.length && 'spikes without an email'].filter(Boolean);
  if (misses.length) {
    console.log(`MISSED: ${misses.join('; ')}`);
    process.exitCode = 1;
  }
}

main();
