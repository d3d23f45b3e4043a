import { chooseLogFormat, conciseLine } from './log-format';

describe('chooseLogFormat', () => {
  it('follows LOG_FORMAT, else pretty at a terminal and JSON elsewhere', () => {
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
  });
});

describe('conciseLine', () => {
  const time = new Date(2026, 11, 3, 16, 2, 11).getTime();

  it('is the time, the level and the message with its context', () => {
    expect(conciseLine({ level: 40, time, context: 'Persistence', msg: 'cannot reach PostgreSQL' })).toBe(
      '16:02:11 WARN  Persistence: cannot reach PostgreSQL\n',
    );
    expect(conciseLine({ level: 30, time, msg: 'Deload api listening on http://localhost:3000' })).toBe(
      '16:02:11 INFO  Deload api listening on http://localhost:3000\n',
    );
  });

  it('shows a request as method, path, status and time', () => {
    expect(
      conciseLine({
        level: 30,
        time,
        req: { method: 'POST', path: '/login' },
        res: { statusCode: 503 },
        responseTime: 12,
        msg: 'request errored',
      }),
    ).toBe('16:02:11 INFO  POST /login 503 (12 ms)\n');
  });

  it("puts an error's stack under it, and colours warnings and errors at a terminal", () => {
    expect(conciseLine({ level: 50, time, msg: 'boom', err: { stack: 'Error: boom\n    at x' } })).toBe(
      '16:02:11 ERROR boom\nError: boom\n    at x\n',
    );
    expect(conciseLine({ level: 40, time, msg: 'careful' }, true)).toBe('16:02:11 \x1b[33mWARN \x1b[0m careful\n');
  });
});
