import { parsePainTag } from './pain-tag';
import { PAIN_TAG_FIXTURES } from './pain-tag.fixtures';

describe('parsePainTag', () => {
  it('has a fixture table of at least 40 phrasings, some of which must not match', () => {
    expect(PAIN_TAG_FIXTURES.length).toBeGreaterThanOrEqual(40);
    expect(PAIN_TAG_FIXTURES.filter(([, expected]) => expected === null).length).toBeGreaterThanOrEqual(8);
  });

  it.each(PAIN_TAG_FIXTURES)('reads %j', (text, expected) => {
    expect(parsePainTag(text)?.observation ?? null).toEqual(expected);
  });

  it('keeps the sentence the report came from, as written', () => {
    expect(parsePainTag('Lovely morning. Left ITB from 4k, walked home.')?.text).toBe('Left ITB from 4k, walked home');
  });

  it("reads a bare number after a preposition in the runner's units, and ignores it without them", () => {
    expect(parsePainTag('knee pain @ 3', { defaultUnit: 'mi' })?.observation).toEqual({ hasPain: true, location: 'knee', onsetM: 4828 });
    expect(parsePainTag('knee pain @ 3', { defaultUnit: 'km' })?.observation).toEqual({ hasPain: true, location: 'knee', onsetM: 3000 });
    expect(parsePainTag('knee pain @ 3')?.observation).toEqual({ hasPain: true, location: 'knee' });
  });

  it('prefers a pain report over a "no pain" in another sentence, whatever the order', () => {
    expect(parsePainTag('No pain for once! Just kidding, ITB at 9k')?.observation).toMatchObject({ hasPain: true, onsetM: 9000 });
    expect(parsePainTag('ITB at 9k. Otherwise no pain')?.observation).toMatchObject({ hasPain: true, onsetM: 9000 });
  });

  it('ignores implausible onsets instead of inventing them', () => {
    expect(parsePainTag('knee pain from 900 km')?.observation).toEqual({ hasPain: true, location: 'knee' });
  });
});
