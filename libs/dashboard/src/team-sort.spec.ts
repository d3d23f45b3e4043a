import { defaultOrder, sortRows, TeamRow } from './team-dashboard.service';

function row(name: string, changeRatio: number | null, urgency = 0): TeamRow {
  return {
    runner: { id: name, name, email: `${name}@example.test` },
    includesStravaData: true,
    summary: {
      windowEnd: '2025-03-20',
      windowEndsToday: true,
      last7DaysM: 0,
      previous4WeeksMeanM: 0,
      changeRatio,
      biggestRecentRun: null,
      acwr: null,
      weeks: [],
      lastRunAt: null,
    },
    latestPain: null,
    shoe: null,
    openAlerts: [],
    attention: [],
    urgency,
  };
}

describe('sorting the team table', () => {
  const rows = [row('Cleo', 1.2), row('ada', null), row('Bea', 1.5), row('Dan', 1.2)];

  it('sorts figures biggest first by default and names A to Z', () => {
    expect(defaultOrder('change')).toBe('desc');
    expect(defaultOrder('name')).toBe('asc');
    expect(sortRows(rows, 'change', 'desc').map((r) => r.runner.name)).toEqual(['Bea', 'Cleo', 'Dan', 'ada']);
    expect(sortRows(rows, 'name', 'asc').map((r) => r.runner.name)).toEqual(['ada', 'Bea', 'Cleo', 'Dan']);
  });

  it('keeps runners without a figure last in either direction, ties by name', () => {
    expect(sortRows(rows, 'change', 'asc').map((r) => r.runner.name)).toEqual(['Cleo', 'Dan', 'Bea', 'ada']);
  });
});
