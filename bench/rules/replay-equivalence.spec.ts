import { Replay, ReplayOptions, ReplayResult } from '@deload/rules';
import { realisticLog } from './training-log-generator';

/**
 * The replay runs a rule only on the days its result can change (Rule.changes) and, for a log
 * grouped by athlete, replays each athlete as the next one starts. Both must give exactly what the
 * straightforward replay gives: every rule on every day, the whole log held.
 */
function replayOf(lines: readonly string[], options: ReplayOptions): ReplayResult {
  const replay = new Replay(undefined, { signals: true, ...options });
  for (const line of lines) replay.addLine(line);
  return replay.run();
}

const bytes = (result: ReplayResult) => result.alerts.map((alert) => JSON.stringify(alert)).join('\n');

describe('replay: only the days a rule can change, athlete by athlete — the same output as every day', () => {
  const lines = [...realisticLog(50, 104)];
  const everyDay = replayOf(lines, { everyDay: true });

  it('gives the same emails, byte for byte, the same signals and statistics', () => {
    const changed = replayOf(lines, {});
    expect(everyDay.alerts.length).toBeGreaterThan(100); // the log exercises the rules
    expect(bytes(changed)).toBe(bytes(everyDay));
    expect(changed.signals).toEqual(everyDay.signals);
    expect(changed.stats).toEqual(everyDay.stats);
    expect(changed.runs).toBe(everyDay.runs);
  });

  it('streams athletes in a grouped log with the same result', () => {
    const streamed = replayOf(lines, { streamAthletes: true });
    expect(bytes(streamed)).toBe(bytes(everyDay));
    expect(streamed.stats).toEqual(everyDay.stats);
    expect(streamed.athletes).toBe(everyDay.athletes);
  });

  it('says when a log is not grouped by athlete, and the whole-log replay of it is still right', () => {
    const interleaved = [...lines.slice(0, 5), ...lines.slice(-3), ...lines.slice(5, -3)];
    const streaming = new Replay(undefined, { streamAthletes: true });
    for (const line of interleaved) streaming.addLine(line);
    expect(streaming.ungrouped).toBe(true);
    expect(bytes(replayOf(interleaved, {}))).toBe(bytes(replayOf(interleaved, { everyDay: true })));
  });
});
