import { importDisplayName } from './import-name';

describe('importDisplayName', () => {
  it.each([
    ['/tmp/deload-history-f9SDl6/easy-5.fit', 'easy-5.fit'],
    ['/srv/inbox/ada@example.com/export_123.zip/activities/987.fit.gz', 'export_123.zip/activities/987.fit.gz'],
    ['/home/ada/strava-export/activities/987.fit.gz', '987.fit.gz'],
    ['long-run.fit', 'long-run.fit'],
  ])('%s → %s', (stored, shown) => {
    expect(importDisplayName(stored)).toBe(shown);
  });
});
