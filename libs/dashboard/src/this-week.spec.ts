import { thisWeek, WeighedAlert } from './this-week';

function alert(id: string, fields: Partial<WeighedAlert> = {}): WeighedAlert {
  return {
    id,
    rule: 'weekly-increase',
    severity: 'caution',
    state: 'open',
    response: null,
    email: { headline: `${id} headline`, suggestions: [`${id} advice`] },
    ...fields,
  };
}

describe('thisWeek', () => {
  it('leads with what an email would lead with: a spike before a weekly increase', () => {
    const week = thisWeek([
      alert('weekly'),
      alert('spike', { rule: 'single-run-spike' }),
      alert('old', { state: 'resolved', rule: 'pain-earlier' }),
    ]);
    expect(week.lead).toEqual({
      alertId: 'spike',
      rule: 'single-run-spike',
      severity: 'caution',
      response: null,
      headline: 'spike headline',
      suggestions: ['spike advice'],
    });
    expect(week.others).toEqual([{ alertId: 'weekly', rule: 'weekly-increase', severity: 'caution' }]);
    expect(week.dismissed).toBe(0);
  });

  it('leaves dismissed alerts out, keeps acknowledged ones, and says nothing calls for a change when none is left', () => {
    const acknowledged = thisWeek([
      alert('spike', { rule: 'single-run-spike', response: 'dismissed' }),
      alert('weekly', { response: 'acknowledged' }),
    ]);
    expect(acknowledged.lead).toMatchObject({ alertId: 'weekly', response: 'acknowledged' });
    expect(acknowledged.dismissed).toBe(1);
    expect(thisWeek([alert('spike', { response: 'dismissed' })])).toEqual({ lead: null, others: [], dismissed: 1 });
    expect(thisWeek([])).toEqual({ lead: null, others: [], dismissed: 0 });
  });

  it('names the sign without its words when they are withheld from the viewer', () => {
    expect(thisWeek([alert('spike', { email: null })]).lead).toMatchObject({ headline: null, suggestions: [] });
  });
});
