import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, zipBytes } from '../../../../test/support/archives';
import { ArchiveError } from '../archive/archive-error';
import { DEFAULT_ARCHIVE_LIMITS } from '../archive/limits';
import { openZipArchive } from '../archive/zip-archive';
import { detectFormat } from './detect';
import { garminExportLayout, parseGarminSummaries } from './garmin-connect-export';

// How the format layer and the archive reader meet on whole exports: the importer lists a zip's
// entries, asks detectFormat what the zip is, then reads the entries the format names.
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));

async function garminExportZip(): Promise<Buffer> {
  const uploads = await zipBytes({ 'ana@example.com_41234567.fit': Buffer.alloc(64, 1) });
  return zipBytes({
    'DI_CONNECT/DI-Connect-Fitness/ana@example.com_0_summarizedActivities.json': fixture('garmin-summarizedActivities.json'),
    'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': uploads,
    'DI_CONNECT/DI-Connect-User/user_profile.json': '{"userName": "ana"}',
  });
}

describe('whole exports through the archive reader', () => {
  const dir = tempDir('deload-export-archives');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a Garmin export: detected by its entries, summaries parsed from the entry the layout names', async () => {
    const path = join(dir, 'export.zip');
    writeFileSync(path, await garminExportZip());
    const archive = await openZipArchive(path, DEFAULT_ARCHIVE_LIMITS);
    try {
      expect(detectFormat(readFileSync(path).subarray(0, 4), archive.names)).toMatchObject({
        kind: 'garmin-connect-export',
        supported: true,
      });
      const layout = garminExportLayout(archive.names)!;
      expect(layout.uploadArchives).toEqual(['DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip']);
      const { entries } = parseGarminSummaries(await archive.read(layout.summaryFiles[0]), layout.summaryFiles[0]);
      expect(entries).toHaveLength(9);
    } finally {
      await archive.close();
    }
  });

  it('refuses a truncated export zip as a whole, with a clear reason, before any entry is read', async () => {
    const whole = await garminExportZip();
    const path = join(dir, 'truncated.zip');
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(detectFormat(readFileSync(path).subarray(0, 4))).toMatchObject({ kind: 'zip' });
    await expect(openZipArchive(path, DEFAULT_ARCHIVE_LIMITS)).rejects.toThrow(ArchiveError);
    await expect(openZipArchive(path, DEFAULT_ARCHIVE_LIMITS)).rejects.toThrow(/^unreadable zip: /);
  });
});
