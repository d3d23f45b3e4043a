import { gpxTrack } from './archives';

/**
 * Activity files made to hurt a parser (issue 11): each is small enough to pass the upload limits
 * and must be refused quickly with a reason, never freeze the api. Texts are digits, which is what
 * made fast-xml-parser's number sniffing quadratic.
 */
export function pathologicalGpxFiles(start = new Date('2025-03-04T12:00:00Z')): Record<string, string> {
  const track = gpxTrack(start, 5);
  return {
    'long-name.gpx': track.replace('<name>Lunch Run</name>', `<name>${'1'.repeat(64_000)}</name>`),
    'megabyte-text.gpx': track.replace('<name>Lunch Run</name>', `<name>Lunch Run</name><desc>${'7'.repeat(1024 * 1024)}</desc>`),
    'deep-nesting.gpx': track.replace('<metadata>', `<metadata>${'<x>'.repeat(20_000)}${'</x>'.repeat(20_000)}`),
    'huge-attribute.gpx': track.replace('creator="StravaGPX"', `creator="${'9'.repeat(1024 * 1024)}"`),
    'external-entity.gpx': track
      .replace('<gpx ', '<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<gpx ')
      .replace('Lunch Run', '&secret;'),
    'entity-expansion.gpx': track
      .replace(
        '<gpx ',
        `<!DOCTYPE gpx [<!ENTITY a "${'a'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<gpx `,
      )
      .replace('Lunch Run', '&c;'),
  };
}
