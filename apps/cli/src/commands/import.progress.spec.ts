import { estimateSecondsLeft, formatDuration, progressDisplay, ProgressStream } from './import.progress';

/** A stream that keeps what was written, and a clock the test moves. */
function fakeStream(isTTY: boolean, columns = 100): ProgressStream & { text: string } {
  return {
    isTTY,
    columns,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

function fakeClock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

/** What a terminal would show: each carriage return starts the line again, ESC[K clears the rest. */
const screen = (text: string) => text.split('\n').map((line) => line.split('\r').at(-1)!.replace('\x1b[K', ''));

describe('import progress on a terminal', () => {
  it('redraws one bar in place with counts, the current item and the ETA', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const display = progressDisplay(stream, { now: clock.now, redrawEveryMs: 100 });
    display.update({ filename: 'export.zip', done: 0, total: 10 });
    clock.advance(4000);
    display.update({ filename: 'export.zip', done: 4, total: 10, current: 'activities/4.fit' });
    expect(stream.text).not.toContain('\n');
    expect(screen(stream.text)).toEqual(['[██████████░░░░░░░░░░░░░░]  40 % 4/10  ETA 6s  export.zip › activities/4.fit']);
    display.finish();
    expect(screen(stream.text)).toEqual(['']);
  });

  it('draws at most every redrawEveryMs, but always a new file and a finished one', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const display = progressDisplay(stream, { now: clock.now, redrawEveryMs: 100 });
    for (let done = 1; done <= 50; done += 1) {
      clock.advance(1);
      display.update({ filename: 'a.zip', done, total: 50 });
    }
    display.update({ filename: 'b.fit', done: 1, total: 1 });
    expect(stream.text.split('\r\x1b[K').filter(Boolean)).toEqual([
      expect.stringContaining('1/50'),
      expect.stringContaining('50/50'),
      expect.stringContaining('1/1  b.fit'),
    ]);
  });

  it('takes a terminal that gives no width (a pseudo-terminal may say 0) as 80 columns', () => {
    const stream = fakeStream(true, 0);
    progressDisplay(stream, { now: () => 0 }).update({ filename: 'export_12345.zip', done: 7, total: 140 });
    expect(screen(stream.text)).toEqual(['[█░░░░░░░░░░░░░░░░░░░░░░░]   5 % 7/140  export_12345.zip']);
  });

  it('counts without a bar while the total is unknown, and keeps within the terminal width', () => {
    const stream = fakeStream(true, 40);
    const display = progressDisplay(stream, { now: () => 0 });
    display.update({ filename: 'Activities.csv', done: 12, current: 'Activities.csv line 13 with a long name' });
    const [line] = screen(stream.text);
    expect(line).toBe('12 activities  Activities.csv › Activi…');
    expect(line.length).toBeLessThanOrEqual(39);
  });
});

describe('import progress in a log (not a terminal)', () => {
  it('writes a line every linesEvery activities and a closing line per file, never redraws', () => {
    const stream = fakeStream(false);
    const clock = fakeClock();
    const display = progressDisplay(stream, { now: clock.now, linesEvery: 100 });
    for (let done = 1; done <= 250; done += 1) {
      clock.advance(20);
      display.update({ filename: 'export.zip', done, total: 250, current: `activities/${done}.fit` });
    }
    display.update({ filename: 'run.fit', done: 1, total: 1 });
    display.finish();
    expect(stream.text).not.toContain('\r');
    expect(stream.text.split('\n')).toEqual([
      'deload: export.zip: 100/250 activities, about 3s left',
      'deload: export.zip: 200/250 activities, about 1s left',
      'deload: export.zip: 250/250 activities',
      '',
    ]);
  });

  it('says nothing for single files, so a folder of 500 FIT files is not 500 lines of progress', () => {
    const stream = fakeStream(false);
    const display = progressDisplay(stream);
    for (let n = 1; n <= 500; n += 1) display.update({ filename: `runs/${n}.fit`, done: 1, total: 1 });
    display.finish();
    expect(stream.text).toBe('');
  });

  it('closes a file whose total was never known with its count', () => {
    const stream = fakeStream(false);
    const display = progressDisplay(stream, { linesEvery: 100 });
    for (let done = 1; done <= 30; done += 1) display.update({ filename: 'Activities.csv', done });
    display.finish();
    expect(stream.text).toBe('deload: Activities.csv: 30 activities\n');
  });

  it('says "1 activity" for a single one of unknown total', () => {
    const stream = fakeStream(true);
    progressDisplay(stream).update({ filename: 'run.fit', done: 1 });
    expect(screen(stream.text)).toEqual(['1 activity  run.fit']);
  });

  it('uses plain lines on a dumb terminal too', () => {
    const term = process.env.TERM;
    process.env.TERM = 'dumb';
    try {
      const stream = fakeStream(true);
      const display = progressDisplay(stream, { linesEvery: 1 });
      display.update({ filename: 'a.zip', done: 1, total: 2 });
      expect(stream.text).toBe('deload: a.zip: 1/2 activities\n');
    } finally {
      if (term === undefined) delete process.env.TERM;
      else process.env.TERM = term;
    }
  });
});

describe('formatDuration and estimateSecondsLeft', () => {
  it.each([
    [0, '0s'],
    [42.4, '42s'],
    [65, '1m 05s'],
    [3780, '1h 03m'],
  ])('%p s reads %p', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it('estimates from the pace so far, and not before there is one', () => {
    expect(estimateSecondsLeft(25, 100, 10_000)).toBe(30);
    expect(estimateSecondsLeft(0, 100, 10_000)).toBeUndefined();
    expect(estimateSecondsLeft(25, undefined, 10_000)).toBeUndefined();
    expect(estimateSecondsLeft(25, 100, 500)).toBeUndefined();
    expect(estimateSecondsLeft(100, 100, 10_000)).toBeUndefined();
  });
});
