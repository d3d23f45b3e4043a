import type { FileImportResult, RunOutcome } from '@deload/ingest';
import { formatResult } from './import.summary';

const run = (status: RunOutcome['status'], km: number): RunOutcome => ({
  status,
  runId: 'r',
  source: 'fit',
  externalId: 'x',
  sport: 'run',
  isRun: true,
  startUtc: new Date('2025-03-02T07:10:00Z'),
  distanceM: km * 1000,
});

describe('formatResult', () => {
  it('gives a file its status, name and runs, then its warnings', () => {
    const result = {
      filename: 'a.fit',
      status: 'imported',
      runs: [run('inserted', 10.23)],
      warnings: ['average heart rate 300 is out of range: left out'],
    };
    expect(formatResult(result as FileImportResult)).toEqual([
      'imported  a.fit — run 10.23 km on 2025-03-02',
      '          warning: average heart rate 300 is out of range: left out',
    ]);
  });

  it('counts an archive’s activities, and lists each below it', () => {
    const archive: FileImportResult = {
      filename: 'export.zip',
      status: 'imported',
      runs: [],
      entries: [
        { filename: 'export.zip/1.fit', status: 'imported', runs: [run('updated', 5)] },
        { filename: 'export.zip/2.fit', status: 'duplicate', runs: [run('duplicate', 5)] },
        { filename: 'export.zip/3.fit', status: 'rejected', reason: 'not a FIT file', runs: [] },
      ],
    };
    expect(formatResult(archive)).toEqual([
      'imported  export.zip — 3 activities',
      '  imported  export.zip/1.fit — run 5.00 km on 2025-03-02 (brought the run already stored up to date)',
      '  duplicate export.zip/2.fit — already stored',
      '  rejected  export.zip/3.fit — not a FIT file',
    ]);
  });

  it('gives a rejected file its reason', () => {
    expect(formatResult({ filename: 'x.png', status: 'rejected', reason: 'not a FIT file (it looks like a PNG image)', runs: [] })).toEqual(
      ['rejected  x.png — not a FIT file (it looks like a PNG image)'],
    );
  });
});
