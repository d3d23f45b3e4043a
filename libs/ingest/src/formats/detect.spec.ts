import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gpxTrack, stravaExportFiles, tcxActivity } from '../../../../test/support/archives';
import { buildFitRun } from '../../../../test/support/fit-files';
import { DETECTION_BYTES, detectFormat } from './detect';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const head = (bytes: Uint8Array | string) => Buffer.from(bytes).subarray(0, DETECTION_BYTES);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);

describe('detectFormat: single files, by content', () => {
  const fit = buildFitRun({ start: new Date('2024-05-02T05:10:12Z'), distanceM: 5000, durationS: 1500 });

  it.each([
    ['a FIT file', fit, 'fit', 'a FIT activity file'],
    ['a gzipped FIT file', gzipSync(fit), 'fit', 'a FIT activity file (gzipped)'],
    ['a GPX track', gpxTrack(new Date('2024-05-02T05:10:12Z'), 3), 'gpx', 'a GPX track'],
    ['a gzipped TCX', gzipSync(tcxActivity(new Date('2024-05-02T05:10:12Z'), 5000, 1500)), 'tcx', 'a TCX activity (gzipped)'],
    ['a Strava activities.csv', stravaExportFiles()['activities.csv'], 'strava-export-csv', "a Strava export's activities.csv"],
    ['a Garmin CSV in German', fixture('garmin-activities-de.csv'), 'garmin-connect-csv', 'a Garmin Connect activities CSV (German)'],
    ['a Garmin CSV in Polish', fixture('garmin-activities-pl.csv'), 'garmin-connect-csv', 'a Garmin Connect activities CSV (Polish)'],
    [
      'Garmin summaries',
      fixture('garmin-summarizedActivities.json'),
      'garmin-connect-summaries',
      "Garmin Connect's activity summaries (summarizedActivities.json)",
    ],
    ['Apple Health export.xml', fixture('apple-health-export.xml'), 'apple-health-xml', "Apple Health's export.xml"],
    [
      'a Polar Flow session',
      fixture('training-session-2024-05-02-7012345678-6f1c.json'),
      'polar-flow-session',
      'a Polar Flow training session',
    ],
  ])('%s', (_name, bytes, kind, description) => {
    expect(detectFormat(head(bytes))).toMatchObject({ kind, supported: true, description });
  });

  it('tells the language of a Garmin CSV, also in UTF-16 and Windows-1252', () => {
    const text = readFileSync(join(__dirname, 'fixtures', 'garmin-activities-fr.csv'), 'utf8');
    expect(detectFormat(head(text)).language).toBe('fr');
    expect(detectFormat(head(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).language).toBe('fr');
    expect(detectFormat(head(Buffer.from(text, 'latin1'))).language).toBe('fr');
  });

  it('finds Apple export.xml by its root even behind a long DOCTYPE, with the head cut mid-file', () => {
    const big = Buffer.concat([fixture('apple-health-export.xml'), Buffer.alloc(200_000, 32)]);
    expect(detectFormat(big.subarray(0, 3000)).kind).toBe('apple-health-xml');
  });
});

describe('detectFormat: what we do not read says what it looks like and what we read', () => {
  it.each([
    [
      'a Garmin CSV in Czech',
      fixture('garmin-activities-cs.csv'),
      /^this looks like a Garmin Connect activities CSV in a language we do not read \(its columns start "Typ aktivity, Datum, Oblíbené, Název"\); switch Garmin Connect to English, German/,
    ],
    [
      'a Polar single-session CSV',
      'Name,Sport,Date,Start time,Duration,Total distance (km),Average heart rate (bpm)\nRun,RUNNING,20-06-2018,11:17:03,00:30:08,4.48,156\n',
      /^this looks like a Polar Flow CSV of one session/,
    ],
    [
      'some other CSV',
      'when,what,how far\n2024-01-01,run,5\n',
      /^this looks like a CSV file we do not know \(its columns start "when, what, how far"\)/,
    ],
    [
      'a PNG',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
      /^this looks like a PNG image; we read FIT, GPX and TCX files/,
    ],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), /^this looks like a PDF document/],
    [
      "Apple's clinical records",
      '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"/>',
      /^this looks like Apple Health's clinical records \(export_cda\.xml\); send export\.xml/,
    ],
    [
      'a KML track',
      '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>',
      /^this looks like a KML map track/,
    ],
    ['an HTML page', '<!DOCTYPE html><html><body>Sign in</body></html>', /^this looks like a web page \(HTML\)/],
    ['Health Auto Export JSON', '{"data":{"workouts":[]}}', /^this looks like a Health Auto Export JSON file/],
    [
      'a gzipped CSV',
      gzipSync(readFileSync(join(__dirname, 'fixtures', 'garmin-activities-en.csv'))),
      /^this looks like a Garmin Connect activities CSV \(English\), gzipped; unpack it and send the file inside/,
    ],
    ['an empty file', Buffer.alloc(0), /^this looks like an empty file/],
    [
      'random bytes',
      Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)),
      /^this looks like a binary file of a kind we do not know/,
    ],
  ])('%s', (_name, bytes, message) => {
    const detection = detectFormat(head(bytes));
    expect(detection).toMatchObject({ kind: 'unsupported', supported: false });
    expect(detection.message).toMatch(message);
  });

  it('never answers "not a FIT file" for a CSV', () => {
    expect(detectFormat(head(fixture('garmin-activities-cs.csv'))).message).not.toMatch(/FIT file \(/);
  });
});

describe('detectFormat: archives by their entries', () => {
  it('asks for the entry list of a zip first', () => {
    expect(detectFormat(ZIP)).toEqual({ kind: 'zip', supported: true, description: 'a zip archive' });
  });

  it.each([
    [
      [
        'DI_CONNECT/DI-Connect-Fitness/a@b.c_0_summarizedActivities.json',
        'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip',
      ],
      'garmin-connect-export',
    ],
    [
      ['apple_health_export/export.xml', 'apple_health_export/export_cda.xml', 'apple_health_export/workout-routes/route_1.gpx'],
      'apple-health-export',
    ],
    [['training-session-2024-05-02-1-a.json', 'account-data.json'], 'polar-flow-export'],
    [['export_123/activities.csv', 'export_123/activities/1.fit.gz'], 'strava-export'],
    [['Morning_Run.fit', 'Evening.gpx.gz'], 'activity-files'],
    [['UploadedFiles_0-_Part1.zip'], 'activity-files'],
  ])('%j is %s', (entries, kind) => {
    expect(detectFormat(ZIP, entries)).toMatchObject({ kind, supported: true });
  });

  it('explains a zip with nothing we read, naming some of its files', () => {
    expect(detectFormat(ZIP, ['photos/1.jpg', 'photos/2.jpg', 'notes.txt', 'more.txt']).message).toMatch(
      /^this looks like a zip with 4 files we do not read \(photos\/1\.jpg, photos\/2\.jpg, notes\.txt, …\); we read/,
    );
    expect(detectFormat(ZIP, ['apple_health_export/export_cda.xml']).message).toMatch(/an Apple Health export without its export\.xml/);
  });
});
