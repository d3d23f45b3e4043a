/**
 * Pain-tag parsing cost: how long reading a run's title + description takes, next to the cost of
 * the same texts' plain lower-casing (the floor any text scan pays), in one process.
 *
 *   node -r ./bench/support/register.js bench/notify/pain-tags.ts [--texts 200000]
 *
 * The texts mix what runners write: 70 % ordinary descriptions, 30 % with a pain phrase (the
 * fixture table's phrasings embedded in a sentence or two).
 *
 * Target: ≥ 50,000 texts per CPU-second (20 µs a text, a rounding error next to storing a run);
 * exits 1 under it. CPU time, so that other work on a shared machine does not count against it.
 */
import { parsePainTag } from '@deload/pain-tags';
import { PAIN_TAG_FIXTURES } from '../../libs/pain-tags/src/pain-tag.fixtures';
import { argument } from '../support/options';
import { runBench } from '../support/targets';

const ORDINARY = [
  'Morning Run',
  'Easy 10k with the club, legs felt heavy after yesterday. Coffee after.',
  'Tempo 3x2k @ 4:05/km with 2 min jog, windy on the way back',
  'Long run on the trails, 28k, lots of mud. New PB on the climb!',
  'Recovery jog 6 km. Sunny.',
  'Parkrun 5k PR 21:34 🎉',
  'Intervals 6x800m @ 3:20 on the track, felt strong',
];

function texts(count: number): string[] {
  const tagged = PAIN_TAG_FIXTURES.map(([text]) => text).filter(Boolean);
  return Array.from({ length: count }, (_, i) =>
    i % 10 < 7 ? ORDINARY[i % ORDINARY.length] : `Easy run with the club. ${tagged[i % tagged.length]}. Home for breakfast.`,
  );
}

/** Wall milliseconds and CPU seconds of `work` over every input. */
function time(label: string, inputs: string[], work: (text: string) => unknown): { ms: number; cpuSeconds: number } {
  let sink = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const text of inputs) sink += work(text) ? 1 : 0;
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  console.log(
    `${label}: ${inputs.length.toLocaleString('en')} texts in ${Math.round(ms)} ms → ${Math.round(inputs.length / (ms / 1000)).toLocaleString('en')} texts/s, ${((ms * 1000) / inputs.length).toFixed(2)} µs each (${sink} truthy)`,
  );
  return { ms, cpuSeconds: (used.user + used.system) / 1e6 };
}

runBench('notify/pain-tags', () => {
  const inputs = texts(argument('texts', 200_000));
  time('warm-up', inputs.slice(0, 20_000), (text) => parsePainTag(text));
  const floor = time('lower-case only', inputs, (text) => text.toLowerCase());
  const parsed = time('parsePainTag', inputs, (text) => parsePainTag(text, { defaultUnit: 'km' }));
  console.log(`parsePainTag costs ${(parsed.ms / floor.ms).toFixed(1)} × lower-casing the same texts`);
  return [{ measure: 'parsePainTag', value: Math.round(inputs.length / parsed.cpuSeconds), unit: 'texts per CPU-second', atLeast: 50_000 }];
});
