import { basename } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DomainError, invalid, MappedRun } from '@deload/domain';
import { DEFAULT_MAX_FIT_BYTES } from '@deload/fit';
import { UsersRepository } from '@deload/persistence';
import type { ImportChannel } from '@deload/persistence';
import { ActivityArchive, isClutter } from '../archive/activity-archive';
import { withNestedZip } from '../archive/nested-zip';
import { ActivityDecoder } from '../decode/activity-decoder';
import {
  appleHealthLayout,
  AppleHealthLayout,
  readAppleHealthExport,
  readRouteClimb,
  routeEntryFor,
  withRouteClimb,
} from '../formats/apple-health';
import { GarminExportMatcher, garminExportLayout } from '../formats/garmin-connect-export';
import { ParsedEntry, ParsedExport } from '../formats/parsed-entry';
import { polarSessionFiles } from '../formats/polar-flow';
import { FileImportResult } from '../import-result';
import { ImportJob, Received, sha256 } from './import-job';
import { ImportRecorder, isRejection } from './import-recorder';

export const ACTIVITY_FILE = /\.(fit|gpx|tcx)(\.gz)?$/i;

/** How the runner tells a Garmin CSV's distance unit, by the way the file came in. */
const SAY_THE_UNIT: Record<ImportChannel, string> = {
  cli: 'run `deload import --units km` (or `--units mi`) with the file',
  upload: 'upload it again with the form field `units` set to km or mi',
  watch:
    'the import folder cannot be told a unit: import it with `deload import --units km|mi` or upload it with the `units` field instead',
  demo: 'give the unit (km or mi) with the file',
};

/** A Garmin CSV whose unit cannot be worked out: its reason, plus how to say the unit this way in. */
function withUnitAdvice(error: unknown, channel: ImportChannel): unknown {
  if (!(error instanceof DomainError) || error.details?.problem !== 'ambiguous_units') return error;
  return invalid(`${error.message}: ${SAY_THE_UNIT[channel]}`, error.details);
}

/**
 * The account exports that are not activity files: Garmin Connect (activities CSV, summaries
 * JSON, the full export zip), Apple Health (export.xml, export.zip) and Polar Flow (session JSON,
 * export zip). Each is parsed into ParsedEntry per activity (CSV and JSON in the decode threads)
 * and every entry is recorded — imported, duplicate or rejected with its reason — under the file's
 * own row, which carries the warnings that concern the file as a whole.
 */
@Injectable()
export class ExportImporter {
  constructor(
    private readonly users: UsersRepository,
    private readonly recorder: ImportRecorder,
    private readonly decoder: ActivityDecoder,
  ) {}

  /** Garmin Connect's Activities → Export CSV; its wall-clock times are read in the runner's zone. */
  async garminCsv(job: ImportJob, bytes: Uint8Array, received: Received): Promise<FileImportResult> {
    const timeZone = (await this.users.byId(job.userId))?.timezone ?? undefined;
    const options = { timeZone, distanceUnit: job.options.distanceUnit, fileName: basename(received.filename) };
    const parsed = await this.decoder.garminCsv(bytes, options).catch((error: unknown) => {
      throw withUnitAdvice(error, received.channel);
    });
    return this.storeExport(job, received, parsed);
  }

  /** A Garmin export's summarizedActivities JSON on its own: a summary-only run per activity. */
  async garminSummaries(job: ImportJob, bytes: Uint8Array, received: Received): Promise<FileImportResult> {
    return this.storeExport(job, received, await this.decoder.garminSummaries(bytes, basename(received.filename)));
  }

  /** One Polar Flow training-session JSON. */
  async polarSession(job: ImportJob, bytes: Uint8Array, received: Received): Promise<FileImportResult> {
    return this.storeExport(job, received, await this.decoder.polarSession(bytes, basename(received.filename)));
  }

  /**
   * Apple Health's export.xml alone (no routes). It is read on this thread, chunk by chunk as the
   * file streams in (each chunk is parsed in a moment, and the loop awaits the next one), so a
   * 2 GB export never blocks the event loop for long nor sits in memory; its time budget is the
   * archive's (ArchiveLimits.maxSeconds), not the per-file decode timeout of the worker threads.
   */
  async appleXml(job: ImportJob, chunks: AsyncIterable<Buffer>, received: Received): Promise<FileImportResult> {
    const fileName = basename(received.filename);
    const result = await readStreamed(job.deadline.bound(chunks), (watched) => readAppleHealthExport(watched, { fileName }));
    return this.storeExport(job, received, result);
  }

  /** Apple Health's export.zip: export.xml streamed out of the zip (as appleXml), each workout's route read for its climb. */
  async appleExport(job: ImportJob, archive: ActivityArchive, received: Received): Promise<FileImportResult> {
    const layout = appleHealthLayout(archive.names)!;
    const chunks = job.deadline.bound(archive.stream(layout.exportXml));
    const result = await readStreamed(chunks, (watched) => readAppleHealthExport(watched, { fileName: layout.exportXml }));
    const routes = new Map(result.extras.flatMap((extra) => (extra.routePath ? [[extra.externalId, extra.routePath] as const] : [])));
    job.progress.expect(result.entries.length);
    const results: FileImportResult[] = [];
    for (const entry of result.entries) {
      const route = entry.status === 'parsed' ? routes.get(entry.run.externalId) : undefined;
      const withRoute = route ? await this.withRoute(archive, layout, entry, route) : entry;
      results.push(await this.recorder.storeEntry(job, received, withRoute));
    }
    return this.recorder.recordArchive(job.userId, received, results, result.warnings);
  }

  /** A Polar Flow account export: every training-session JSON, an entry per exercise. */
  async polarExport(job: ImportJob, archive: ActivityArchive, received: Received): Promise<FileImportResult> {
    const files = polarSessionFiles(archive.names) ?? [];
    job.progress.expect(files.length);
    const results: FileImportResult[] = [];
    for (const name of files) {
      const entry = { ...received, filename: `${received.filename}/${name}`, sha256: '', sizeBytes: 0 };
      try {
        const bytes = await archive.read(name);
        const parsed = await this.decoder.polarSession(bytes, basename(name));
        for (const item of parsed.entries) results.push(await this.recorder.storeEntry(job, received, item, fileOf(bytes)));
      } catch (error) {
        if (!isRejection(error)) throw error;
        results.push(await this.recorder.reject(job.userId, entry, error.message));
        job.progress.accounted(name);
      }
    }
    return this.recorder.recordArchive(job.userId, received, results);
  }

  /**
   * Garmin Connect's full account export: the activity summaries, and the FIT files of the nested
   * UploadedFiles_*.zip. An activity with a file is stored from the file (the summary's title laid
   * over it), one without from its summary; a file no summary claims is an activity of its own.
   */
  async garminExport(job: ImportJob, archive: ActivityArchive, received: Received): Promise<FileImportResult> {
    const layout = garminExportLayout(archive.names)!;
    const summaries: ParsedEntry[] = [];
    for (const name of layout.summaryFiles)
      summaries.push(...(await this.decoder.garminSummaries(await archive.read(name), basename(name))).entries);
    const matcher = new GarminExportMatcher(summaries);
    job.progress.expect(summaries.length);
    const results: FileImportResult[] = [];
    for (const nested of layout.uploadArchives) {
      try {
        results.push(...(await this.garminUploads(job, archive, nested, matcher, received)));
      } catch (error) {
        // A damaged UploadedFiles zip: its activities are stored from their summaries below.
        if (!isRejection(error)) throw error;
        const entry = { ...received, filename: `${received.filename}/${nested}`, sha256: '', sizeBytes: 0 };
        results.push(await this.recorder.reject(job.userId, entry, error.message));
      }
    }
    for (const entry of matcher.unclaimed()) results.push(await this.recorder.storeEntry(job, received, entry));
    return this.recorder.recordArchive(job.userId, received, results);
  }

  private async garminUploads(
    job: ImportJob,
    archive: ActivityArchive,
    nested: string,
    matcher: GarminExportMatcher,
    received: Received,
  ): Promise<FileImportResult[]> {
    const wanted = (name: string) => !isClutter(name) && ACTIVITY_FILE.test(name);
    return withNestedZip(archive, nested, job.limits, wanted, async (inner) => {
      const results: FileImportResult[] = [];
      for (const name of inner.names) {
        const entry: Received = { ...received, filename: `${received.filename}/${nested}/${name}`, sha256: '', sizeBytes: 0 };
        results.push(
          await this.recorder.ownResult(job.userId, entry, async () => {
            if (job.deadline.passed()) return this.recorder.reject(job.userId, entry, job.deadline.reason());
            const bytes = await inner.read(name);
            Object.assign(entry, fileOf(bytes));
            const runs = (await this.decoder.activityFile(bytes, DEFAULT_MAX_FIT_BYTES)).map((run) => claimed(matcher, run, entry));
            return this.recorder.store(job.userId, entry, runs);
          }),
        );
        job.progress.accounted(`${nested}/${name}`);
      }
      return results;
    });
  }

  /** A workout with its route's climb; a route that cannot be read leaves the workout as it is, with a warning. */
  private async withRoute(archive: ActivityArchive, layout: AppleHealthLayout, entry: ParsedEntry, path: string): Promise<ParsedEntry> {
    if (entry.status !== 'parsed') return entry;
    const name = routeEntryFor(path, layout);
    if (!name) return { ...entry, warnings: [...entry.warnings, `its route ${path} is not in the export: no descent`] };
    try {
      const climb = await readStreamed(archive.stream(name), (watched) => readRouteClimb(watched, name));
      return { ...entry, run: withRouteClimb(entry.run, climb) };
    } catch (error) {
      if (!isRejection(error)) throw error;
      return { ...entry, warnings: [...entry.warnings, `its route could not be read (${error.message}): no descent`] };
    }
  }

  /** The entries of one export file, each recorded, then the file's own row. */
  private async storeExport(job: ImportJob, received: Received, parsed: ParsedExport): Promise<FileImportResult> {
    job.progress.expect(parsed.entries.length);
    const results: FileImportResult[] = [];
    for (const entry of parsed.entries) results.push(await this.recorder.storeEntry(job, received, entry));
    return this.recorder.recordArchive(job.userId, received, results, parsed.warnings);
  }
}

/**
 * Parses a stream, but a failure of the stream itself (a damaged zip entry, a size or time limit)
 * is answered as what it is, not as the parser's "not well-formed XML" it causes.
 */
async function readStreamed<T>(chunks: AsyncIterable<Buffer>, read: (watched: AsyncIterable<Buffer>) => Promise<T>): Promise<T> {
  let streamError: unknown;
  async function* watched(): AsyncIterable<Buffer> {
    try {
      for await (const chunk of chunks) yield chunk;
    } catch (error) {
      streamError = error;
      throw error;
    }
  }
  try {
    return await read(watched());
  } catch (error) {
    throw streamError ?? error;
  }
}

const fileOf = (bytes: Uint8Array) => ({ sha256: sha256(bytes), sizeBytes: bytes.length });

/** A FIT run of the export, with its summary's title when a summary claims it; the claim is named in the entry. */
function claimed(matcher: GarminExportMatcher, run: MappedRun, entry: Received): MappedRun {
  const claim = matcher.claim(run);
  if (claim) entry.filename = `${entry.filename} (${claim.summaryRef})`;
  return claim?.run ?? run;
}
