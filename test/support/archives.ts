import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ZipFile } from 'yazl';
import { buildFitRun } from './fit-files';

export type Files = Record<string, Uint8Array | string>;

export function tempDir(label = 'deload'): string {
  return mkdtempSync(join(tmpdir(), `${label}-`));
}

/** A zip of the given files, written with yazl (deflated). */
export async function zipBytes(files: Files): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function writeZip(dir: string, name: string, files: Files): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await zipBytes(files));
  return path;
}

export function writeFolder(dir: string, files: Files): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** A zip whose entry name climbs out of the archive ("../…"); zip writers refuse to make one, so the name is patched in. */
export async function traversalZipBytes(): Promise<Buffer> {
  const zip = await zipBytes({ 'xx/evil.fit': 'x', 'ok.fit': 'y' });
  return Buffer.from(zip.toString('latin1').split('xx/evil.fit').join('../evil.fit'), 'latin1');
}

export function gpxTrack(start: Date, points: number, type = 'running'): string {
  const trkpts = Array.from({ length: points }, (_, i) => {
    const time = new Date(start.getTime() + i * 10_000).toISOString();
    // ~28 m north per point (0.00025°).
    return `<trkpt lat="${(59.9 + i * 0.00025).toFixed(6)}" lon="10.75"><ele>${100 + (i % 10)}</ele><time>${time}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr><gpxtpx:cad>82</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 <metadata><time>${start.toISOString()}</time></metadata>
 <trk><name>Lunch Run</name><type>${type}</type><trkseg>
${trkpts}
 </trkseg></trk>
</gpx>`;
}

export function tcxActivity(start: Date, distanceM: number, seconds: number): string {
  const points = [0, 0.5, 1].map(
    (share) =>
      `<Trackpoint><Time>${new Date(start.getTime() + share * seconds * 1000).toISOString()}</Time><DistanceMeters>${share * distanceM}</DistanceMeters><HeartRateBpm><Value>150</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:RunCadence>86</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>`,
  );
  // Strava's TCX export starts with blank space before the declaration.
  return `          <?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Running"><Id>${start.toISOString()}</Id>
  <Lap StartTime="${start.toISOString()}"><TotalTimeSeconds>${seconds}</TotalTimeSeconds><DistanceMeters>${distanceM}</DistanceMeters><Track>${points.join('')}</Track></Lap>
  <Creator><Name>Garmin Forerunner 245</Name></Creator>
 </Activity></Activities>
</TrainingCenterDatabase>`;
}

const HEADER =
  'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Average Cadence,Average Heart Rate,Perceived Exertion';

/**
 * A Strava bulk export in miniature, as Strava writes it: repeated column names, quoted commas,
 * a localised date (German) on the hand-entered activity, gzipped FIT, GPX and TCX files.
 */
export function stravaExportFiles(): Files {
  const fitRun = buildFitRun({
    start: new Date('2025-03-02T06:10:00Z'),
    distanceM: 10_230,
    durationS: 3_120,
    utcOffsetS: 3600,
    serialNumber: 42,
  });
  const rows = [
    '1001,"Mar 2, 2025, 6:10:00 AM",Morning Run,Run,"Easy, flat; knee fine",3120,"10,23",170,40,false,,Pegasus 40,activities/1001.fit.gz,,,3120.0,3100.0,10230.0,4.1,3.3,85.0,80.0,84.0,150.0,',
    '1002,"Mar 4, 2025, 12:00:00 PM",Lunch Run,Run,,590,"1,39",150,5,false,,Pegasus 40,activities/1002.gpx,,,590.0,590.0,1390.0,3.0,2.4,9.0,9.0,,,',
    '1003,"Mar 6, 2025, 7:00:00 AM",Tempo,Run,"knee hurt at 6 km, stopped",1500,"5,00",180,60,false,,"Vaporfly, race pair",activities/1003.tcx.gz,,,1500.0,1500.0,5000.0,4.5,3.3,20.0,20.0,86.0,150.0,7',
    '1004,"08.03.2025, 09:15:00",Hand-entered jog,Run,,1800,"5,5",,,false,,,,,,1800.0,1750.0,5500.0,,,,,,,',
    '1005,"Mar 9, 2025, 10:00:00 AM",Commute,Ride,,1200,"8,0",,,true,,,,,,1200.0,1100.0,8000.0,,,,,,,',
  ];
  return {
    'activities.csv': `${HEADER}\n${rows.join('\n')}\n`,
    'activities/1001.fit.gz': gzipSync(fitRun),
    'activities/1002.gpx': gpxTrack(new Date('2025-03-04T12:00:00Z'), 60),
    'activities/1003.tcx.gz': gzipSync(tcxActivity(new Date('2025-03-06T07:00:00Z'), 5_000, 1_500)),
    'media/photo.jpg': Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  };
}
