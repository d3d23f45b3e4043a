import { pathologicalGpxFiles } from '../../../../test/support/pathological-files';
import { gpxTrack } from '../../../../test/support/archives';
import { mapGpx } from './gpx';
import { mapTcx } from './tcx';
import { numberAt, parseXml, textAt, XML_LIMITS } from './xml';

describe('parseXml on files made to hurt a parser', () => {
  const files = pathologicalGpxFiles();

  it.each([
    ['long-name.gpx', /element name holds 64,000 characters, more than the 10,000/],
    ['megabyte-text.gpx', /element desc holds 1,048,576 characters/],
    ['huge-attribute.gpx', /attribute creator holds 1,048,576 characters/],
    ['deep-nesting.gpx', /not valid XML: elements are nested more than 32 deep/],
    ['external-entity.gpx', /declares a DOCTYPE/],
    ['entity-expansion.gpx', /declares a DOCTYPE/],
  ])('refuses %s with a reason (a TrackFormatError, the file’s fault)', (name, reason) => {
    expect(() => mapGpx(files[name])).toThrow(
      expect.objectContaining({ name: 'TrackFormatError', kind: 'invalid', message: expect.stringMatching(reason) }),
    );
  });

  it('turns any parser failure into the file’s rejection, never a bare Error', () => {
    expect(() => parseXml('<gpx><trk a="1" a="2"></trk></gpx>')).not.toThrow(TypeError);
    expect(() => mapTcx(`<TrainingCenterDatabase>${'<a>'.repeat(100)}`)).toThrow(expect.objectContaining({ name: 'TrackFormatError' }));
  });

  it('keeps values as strings and converts only decimal numbers', () => {
    const xml = parseXml('<r><a>0012</a><b>1e3</b><c>0x10</c><d></d><e> 7.5 </e><f>12abc</f><g>Infinity</g></r>').r;
    expect(xml).toMatchObject({ a: '0012', b: '1e3', c: '0x10' });
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => numberAt(xml, name))).toEqual([
      12,
      1000,
      undefined,
      undefined,
      7.5,
      undefined,
      undefined,
    ]);
  });

  it('cuts labels to a sensible length and keeps names that look like numbers as text', () => {
    const long = 'x'.repeat(XML_LIMITS.maxLabelChars + 50);
    expect(textAt(parseXml(`<r><n>${long}</n></r>`).r, 'n')).toHaveLength(XML_LIMITS.maxLabelChars);
    const [run] = mapGpx(gpxTrack(new Date('2025-03-04T12:00:00Z'), 5).replace('Lunch Run', '0042'));
    expect(run.name).toBe('0042');
  });
});
