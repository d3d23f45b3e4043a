import { databaseOrigin, HOST_TAG, redisKeyOrigin, STALE_AFTER_MS, staleness } from './stale-test-data';

describe('leftovers of earlier test runs', () => {
  const now = Date.UTC(2026, 11, 3, 16, 0);
  const time = (ago: number) => (now - ago).toString(36);
  const livePid = 4242;
  const deadPid = 4343;
  const alive = (pid: number) => pid === livePid;
  const otherHost = HOST_TAG === 'ffff' ? 'eeee' : 'ffff';
  const why = (name: string) => {
    const found = databaseOrigin(name, now) ?? redisKeyOrigin(name, now);
    return found && staleness(found, now, alive);
  };

  it('removes a run of this machine whose process is gone, at any age', () => {
    expect(why(`deload_test_${time(60_000)}_${deadPid.toString(36)}_${HOST_TAG}_a1b2c3`)).toBe('owner-gone');
    expect(why(`deload-test-${time(60_000)}-${deadPid.toString(36)}-${HOST_TAG}-a1b2c3-0123456789:evaluate:id`)).toBe('owner-gone');
    expect(why(`deload_migrations_${time(60_000)}_${deadPid.toString(36)}_${HOST_TAG}_a1b2c3`)).toBe('owner-gone');
  });

  it('keeps a run still going, here or on another machine, until it is older than a few hours', () => {
    expect(why(`deload_test_${time(60_000)}_${livePid.toString(36)}_${HOST_TAG}_a1b2c3`)).toBeUndefined();
    expect(why(`deload_test_${time(60_000)}_${deadPid.toString(36)}_${otherHost}_a1b2c3`)).toBeUndefined();
    expect(why(`deload-test-${time(60_000)}-${livePid.toString(36)}-${HOST_TAG}-a1b2c3:rate:x`)).toBeUndefined();
    expect(why(`deload_test_${time(STALE_AFTER_MS + 60_000)}_${livePid.toString(36)}_${HOST_TAG}_a1b2c3`)).toBe('old');
  });

  it('removes names of the format before owners were recorded only by age', () => {
    expect(why(`deload_test_${time(60_000)}_a1b2c3`)).toBeUndefined();
    expect(why(`deload_test_${time(STALE_AFTER_MS + 60_000)}_a1b2c3`)).toBe('old');
    expect(why(`deload-test-${time(STALE_AFTER_MS + 60_000)}-a1b2c3-0123456789:evaluate:1`)).toBe('old');
  });

  it('never takes names that are not the harness’s own', () => {
    for (const name of [
      'deload',
      'deload_test',
      'deload_dev',
      `deload_test_${time(60_000)}`,
      'deload-test-live-abc12345',
      'deload:rate:x',
      'mydb_test_x',
    ])
      expect(why(name)).toBeUndefined();
  });
});
