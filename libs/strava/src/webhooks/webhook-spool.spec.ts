import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookSpool } from './webhook-spool';

describe('WebhookSpool', () => {
  const spoolIn = () => new WebhookSpool(mkdtempSync(join(tmpdir(), 'deload-spool-')));

  it('hands every appended body to the inbox once, in order, then is empty', async () => {
    const spool = spoolIn();
    await spool.append([{ n: 1 }, { n: 2 }]);
    await spool.append([{ n: 3 }]);
    expect(await spool.isEmpty()).toBe(false);
    const stored: unknown[] = [];
    expect(await spool.drain(async (bodies) => void stored.push(...bodies))).toBe(3);
    expect(stored).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await spool.isEmpty()).toBe(true);
    expect(await spool.drain(async () => undefined)).toBe(0);
  });

  it('keeps what could not be stored (the database is still away) for the next drain', async () => {
    const spool = spoolIn();
    await spool.append([{ n: 1 }]);
    await expect(spool.drain(async () => Promise.reject(new Error('connect ECONNREFUSED')))).rejects.toThrow('ECONNREFUSED');
    await spool.append([{ n: 2 }]);
    const stored: unknown[] = [];
    await spool.drain(async (bodies) => void stored.push(...bodies));
    expect(stored).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await spool.isEmpty()).toBe(true);
  });

  it('skips a line torn by a crash mid-write', async () => {
    const spool = spoolIn();
    await spool.append([{ n: 1 }]);
    const [file] = readdirSync(spool.dir);
    appendFileSync(join(spool.dir, file), '{"n":');
    const stored: unknown[] = [];
    await spool.drain(async (bodies) => void stored.push(...bodies));
    expect(stored).toEqual([{ n: 1 }]);
  });

  it('never loses an append made while a drain is storing', async () => {
    const spool = spoolIn();
    await spool.append([{ n: 1 }]);
    const stored: unknown[] = [];
    await spool.drain(async (bodies) => {
      await spool.append([{ n: 2 }]);
      stored.push(...bodies);
    });
    expect(stored).toEqual([{ n: 1 }]);
    await spool.drain(async (bodies) => void stored.push(...bodies));
    expect(stored).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
