import { parseReplayLine, RunLine } from './replay-lines';

const run = (elevationLoss: unknown) =>
  JSON.stringify({ type: 'run', id: 'r1', start: '2025-03-02T07:10:00+01:00', distance_m: 5000, elevation_loss_m: elevationLoss });

describe('parseReplayLine: elevation_loss_m', () => {
  it.each([
    [-0.3, 0],
    [-0.99, 0],
    [0, 0],
    [80, 80],
  ])('reads %p m as %p m (an export’s rounding noise below zero is a flat run)', (given, read) => {
    const parsed = parseReplayLine(run(given));
    expect(parsed).toEqual({ ok: true, line: expect.objectContaining({ elevation_loss_m: read }) });
    expect((parsed as { line: RunLine }).line.elevation_loss_m).toBe(read);
  });

  it.each([-1, -40])('still reports a loss of %p m as a bad line, with the same message', (given) => {
    expect(parseReplayLine(run(given))).toEqual({ ok: false, error: 'run: elevation_loss_m must be a number of metres ≥ 0' });
  });

  it('keeps an absent or null loss absent, and a string a bad line', () => {
    expect(parseReplayLine(run(null))).toMatchObject({ ok: true, line: { elevation_loss_m: null } });
    expect(parseReplayLine(run('80'))).toEqual({ ok: false, error: 'run: elevation_loss_m must be a number of metres' });
  });
});
