import { AlertsRepository, PainReportsRepository, RunsRepository, UserEntity, UsersRepository, WeekTotals } from '@deload/persistence';
import { stubRepository } from '../../../../test/support/stub-repository';
import { EmailLedger } from '../delivery/email-ledger.service';
import type { EmailLinks } from '../links/email-links.service';
import type { EmailRenderer } from '../render/email-renderer';
import { WeeklySummaryService } from './weekly-summary.service';

const WEEK = '2025-W10';

function totals(fields: Partial<WeekTotals> = {}): WeekTotals {
  return { runs: 0, distanceM: 0, longestM: 0, movingS: 0, previousM: 0, previousRuns: 0, firstDay: null, ...fields };
}

describe('WeeklySummaryService decides whether a runner gets the weekly summary', () => {
  let runner: UserEntity | null;
  let runs: jest.Mocked<RunsRepository>;
  let ledger: jest.Mocked<EmailLedger>;
  let service: WeeklySummaryService;
  const email = { to: 'runner@example.test', subject: 's', text: '', html: '', headers: {} };

  beforeEach(() => {
    runner = { id: 'u1', email: 'runner@example.test', emailWeeklySummary: true, units: 'km', timezone: 'UTC' } as UserEntity;
    const users = stubRepository(UsersRepository);
    users.byId.mockImplementation(async () => runner);
    runs = stubRepository(RunsRepository);
    ledger = stubRepository(EmailLedger);
    ledger.deliver.mockResolvedValue('sent');
    service = new WeeklySummaryService(
      users,
      runs,
      stubRepository(PainReportsRepository),
      stubRepository(AlertsRepository),
      ledger,
      {} as EmailLinks,
      {} as EmailRenderer,
    );
    jest.spyOn(service, 'compose').mockResolvedValue(email);
  });

  it('skips a runner who is gone without recording anything', async () => {
    runner = null;
    expect(await service.send('u1', WEEK)).toBe('skipped');
    expect(ledger.skip).not.toHaveBeenCalled();
  });

  it('records a skip when the runner turned the summary off', async () => {
    runner!.emailWeeklySummary = false;
    expect(await service.send('u1', WEEK)).toBe('skipped');
    expect(ledger.skip).toHaveBeenCalledWith('weekly-summary', `u1-${WEEK}`, 'u1', 'the runner turned the weekly summary off');
    expect(runs.weekTotals).not.toHaveBeenCalled();
  });

  it('records a skip when there were no runs in the last five weeks', async () => {
    runs.weekTotals.mockResolvedValue(totals());
    expect(await service.send('u1', WEEK)).toBe('skipped');
    expect(runs.weekTotals).toHaveBeenCalledWith('u1', '2025-02-03', '2025-03-03', '2025-03-09', true);
    expect(ledger.skip).toHaveBeenCalledWith('weekly-summary', `u1-${WEEK}`, 'u1', 'no runs in the last five weeks');
    expect(ledger.deliver).not.toHaveBeenCalled();
  });

  it('sends the summary of a quiet week after active ones, with the 4-week average once the history is long enough', async () => {
    runs.weekTotals.mockResolvedValue(totals({ previousRuns: 6, previousM: 60_000, firstDay: '2025-01-01' }));
    expect(await service.send('u1', WEEK)).toBe('sent');
    expect(service.compose).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'u1' }),
      expect.objectContaining({ label: WEEK }),
      expect.objectContaining({ runs: 0, previousRuns: 6, previousAverageM: 15_000 }),
    );
    expect(ledger.deliver).toHaveBeenCalledWith({ kind: 'weekly-summary', dedupeKey: `u1-${WEEK}`, userId: 'u1', email });
  });

  it('gives no average while the history is shorter than the 4 weeks before', async () => {
    runs.weekTotals.mockResolvedValue(totals({ runs: 2, distanceM: 20_000, previousRuns: 1, previousM: 8000, firstDay: '2025-02-20' }));
    await service.send('u1', WEEK);
    expect(service.compose).toHaveBeenCalledWith(expect.anything(), expect.anything(), expect.objectContaining({ previousAverageM: null }));
  });
});
