import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appleHealthLayout, parseAppleDate, readAppleHealthExport, readRouteClimb, routeEntryFor, withRouteClimb } from './apple-health';
import { ParsedEntry } from './parsed-entry';
import { TrackFormatError } from './track-format-error';

const exportXml = readFileSync(join(__dirname, 'fixtures', 'apple-health-export.xml'));
const route = readFileSync(join(__dirname, 'fixtures', 'apple-route_2020-05-03_8.04am.gpx'));

/** The bytes in pieces of `size`, as a zip entry stream hands them over (cutting tags and characters). */
async function* pieces(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function failure(promise: Promise<unknown>): Promise<TrackFormatError> {
  return promise.then(
    () => {
      throw new Error('expected a TrackFormatError');
    },
    (error: unknown) => {
      if (error instanceof TrackFormatError) return error;
      throw error;
    },
  );
}

const runOf = (entry: ParsedEntry) => (entry.status === 'parsed' ? entry.run : undefined);

describe('parseAppleDate', () => {
  it.each([
    ['2024-05-04 08:00:00 +0200', '2024-05-04T06:00:00.000Z', 7200],
    ['2021-12-24 8:02:43 PM -0500', '2021-12-25T01:02:43.000Z', -18_000],
    ['2021-12-24 12:10:00 AM +0000', '2021-12-24T00:10:00.000Z', 0],
  ])('reads %s', (text, iso, offset) => {
    expect(parseAppleDate(text)).toEqual({ date: new Date(iso), offsetS: offset });
  });

  it('refuses a date without its offset', () => {
    expect(parseAppleDate('2024-05-04 08:00:00')).toBeUndefined();
  });
});

describe('appleHealthLayout', () => {
  it('finds export.xml and the routes, whatever the case of the name, and maps a FileReference to its entry', () => {
    const entries = [
      'apple_health_export/export_cda.xml',
      'apple_health_export/Export.xml',
      'apple_health_export/workout-routes/route_2020-05-03_8.04am.gpx',
      'apple_health_export/electrocardiograms/ecg_2020-05-01.csv',
    ];
    const layout = appleHealthLayout(entries)!;
    expect(layout).toEqual({ exportXml: 'apple_health_export/Export.xml', routes: [entries[2]] });
    expect(routeEntryFor('/workout-routes/route_2020-05-03_8.04am.gpx', layout)).toBe(entries[2]);
    expect(routeEntryFor('/workout-routes/route_missing.gpx', layout)).toBeUndefined();
    expect(appleHealthLayout(['apple_health_export/export_cda.xml'])).toBeUndefined();
  });
});

describe('readAppleHealthExport', () => {
  it('reads every workout of the export, streamed in small pieces', async () => {
    const result = await readAppleHealthExport(pieces(exportXml, 97));
    expect(result.bytesRead).toBe(exportXml.length);
    expect(result.entries.map((entry) => (entry.status === 'parsed' ? entry.run.sport : entry.status))).toEqual([
      'run',
      'run',
      'run',
      'treadmill_run',
      'ride',
      'walk',
      'other',
      'run',
      'rejected',
    ]);
    expect(result.entries[8]).toEqual({
      status: 'rejected',
      ref: 'export.xml workout 9 (Running, 2024-05-20 07:00:00 +0200)',
      reason: 'the workout has no distance',
    });
  });

  it('maps a pre-iOS 16 workout: totals as attributes, elevation from metadata, device from its description', async () => {
    const { entries, extras } = await readAppleHealthExport(pieces(exportXml, 4096));
    expect(runOf(entries[0])).toEqual({
      source: 'import',
      externalId: 'apple-applewatchvonana-1588483920',
      sport: 'run',
      sourceSport: 'Running',
      startUtc: new Date('2020-05-03T05:32:00Z'),
      utcOffsetS: 7200,
      distanceM: 5210,
      movingS: 1890,
      elapsedS: 1920,
      elevationGainM: 45,
      device: 'Apple Watch (Watch5,4)',
      flags: ['summary_only'],
    });
    expect(extras[0]).toEqual({
      externalId: 'apple-applewatchvonana-1588483920',
      routePath: '/workout-routes/route_2020-05-03_8.04am.gpx',
      energyKcal: 402.5,
    });
  });

  it('maps an iOS 17 workout from its own statistics, not from the nested WorkoutActivity', async () => {
    const { entries, extras } = await readAppleHealthExport(pieces(exportXml, 4096));
    expect(runOf(entries[2])).toMatchObject({
      distanceM: 8610,
      avgHr: 151,
      elevationGainM: 85.2,
      movingS: 2730,
      elapsedS: 2760,
      device: 'Apple Watch (Watch6,1)',
    });
    expect(extras[2].energyKcal).toBeCloseTo(512.4);
  });

  it('keeps the same run written to Health by Strava as a record of its own source (the importer merges them)', async () => {
    const { entries } = await readAppleHealthExport(pieces(exportXml, 4096));
    expect(runOf(entries[1])).toMatchObject({ externalId: 'apple-strava-1588483921', device: 'Strava', distanceM: 5190 });
  });

  it('converts miles and kilojoules, reads a 12-hour clock', async () => {
    const { entries, extras } = await readAppleHealthExport(pieces(exportXml, 4096));
    expect(runOf(entries[4])?.distanceM).toBeCloseTo(18.5 * 1609.344, 3);
    expect(extras[4].energyKcal).toBeCloseTo(2000 / 4.184, 3);
    expect(runOf(entries[5])?.distanceM).toBeCloseTo(2.1 * 1609.344, 3);
    expect(runOf(entries[7])).toMatchObject({ startUtc: new Date('2021-12-25T01:02:43Z'), utcOffsetS: -18_000, device: 'Nike Run Club' });
  });

  it('reports progress as it reads', async () => {
    const seen: number[] = [];
    await readAppleHealthExport(pieces(exportXml, 1024), { onProgress: (bytes) => seen.push(bytes) });
    expect(seen.at(-1)).toBe(exportXml.length);
  });

  it('refuses an export cut short, saying so, and keeps nothing of it', async () => {
    const cut = exportXml.subarray(0, Math.floor(exportXml.length * 0.7));
    const error = await failure(readAppleHealthExport(pieces(cut, 4096)));
    expect(error.problem).toBe('truncated');
    expect(error.message).toMatch(/^export\.xml stops after 0\.0 MB, before its end \(<\/HealthData>\): the export was cut short/);
  });

  it('never expands entities: one declared in the DOCTYPE and used is refused', async () => {
    const xml =
      '<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY lol "lol"><!ENTITY xxe SYSTEM "file:///etc/passwd">]><HealthData><Record value="&xxe;"/></HealthData>';
    const error = await failure(readAppleHealthExport(pieces(Buffer.from(xml), 64)));
    expect(error.message).toMatch(/uses an entity declared in its DOCTYPE .*we do not expand those/);
  });

  it('refuses runaway text between elements (a giant attribute or comment)', async () => {
    const xml = `<HealthData><Record value="${'x'.repeat(300_000)}"/></HealthData>`;
    const error = await failure(readAppleHealthExport(pieces(Buffer.from(xml), 16_384), { maxElementBytes: 100_000 }));
    expect(error.problem).toBe('too_large');
  });

  it('refuses XML that is not Apple Health, and broken XML, with the place it broke', async () => {
    const cda = await failure(readAppleHealthExport(pieces(Buffer.from('<?xml version="1.0"?><ClinicalDocument/>'), 64)));
    expect(cda.message).toBe('export.xml is not an Apple Health export (its root element is <ClinicalDocument>)');
    const broken = await failure(readAppleHealthExport(pieces(Buffer.from('<HealthData><Workout></Record></HealthData>'), 64)));
    expect(broken.message).toMatch(/^export\.xml is not well-formed XML after 0\.0 MB/);
  });
});

describe('workout routes', () => {
  it('measures the climb of a route GPX (with the 2 m dead band of FIT tracks) and lays it over the run', async () => {
    const climb = await readRouteClimb(pieces(route, 300));
    // 20 m → 48 m → 20 m; the last metre at the top is inside the dead band.
    expect(climb).toEqual({ gainM: 27, lossM: 27 });
    const run = {
      source: 'import',
      externalId: 'a',
      sport: 'run',
      startUtc: new Date(),
      utcOffsetS: 0,
      distanceM: 5000,
      elevationGainM: 45,
    } as const;
    expect(withRouteClimb(run, climb)).toMatchObject({ elevationGainM: 45, elevationLossM: 27 });
    expect(withRouteClimb({ ...run, elevationGainM: undefined }, climb)).toMatchObject({ elevationGainM: 27, elevationLossM: 27 });
    expect(withRouteClimb(run, undefined)).toBe(run);
  });
});
