import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptOrphanSpools, processSpoolDir, WebhookSpool } from './webhook-spool';

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

  describe('with several api processes (API_PROCESSES)', () => {
    const drained = async (dir: string) => {
      const bodies: unknown[] = [];
      await new WebhookSpool(dir).drain(async (batch) => void bodies.push(...batch));
      return bodies;
    };

    it('gives each process its own spool; going from one process to three, api-1 takes what the one spooled', async () => {
      const root = mkdtempSync(join(tmpdir(), 'deload-spools-'));
      await new WebhookSpool(root).append([{ n: 1 }]);
      expect(await adoptOrphanSpools(root, 3)).toBe(1);
      expect(await new WebhookSpool(root).isEmpty()).toBe(true);
      expect(await drained(processSpoolDir(root, 1, 3))).toEqual([{ n: 1 }]);
      expect(processSpoolDir(root, 3, 3)).toBe(join(root, 'api-3'));
      expect(processSpoolDir(root, 1, 1)).toBe(root);
    });

    it('going from three processes to two, api-1 takes the spool of api-3, files being drained included; api-2 keeps its own', async () => {
      const root = mkdtempSync(join(tmpdir(), 'deload-spools-'));
      const third = new WebhookSpool(join(root, 'api-3'));
      await third.append([{ n: 1 }]);
      // A drain that failed half-way (database away) leaves a .draining file behind.
      await expect(third.drain(() => Promise.reject(new Error('connect ECONNREFUSED')))).rejects.toThrow();
      await third.append([{ n: 2 }]);
      await new WebhookSpool(join(root, 'api-2')).append([{ n: 3 }]);
      expect(await adoptOrphanSpools(root, 2)).toBe(2);
      expect(readdirSync(root).sort()).toEqual(['api-1', 'api-2']);
      expect(await drained(join(root, 'api-1'))).toEqual([{ n: 1 }, { n: 2 }]);
      expect(await drained(join(root, 'api-2'))).toEqual([{ n: 3 }]);
    });

    it('going back to one process, SPOOL_DIR itself takes every api-<k> spool; nothing to adopt is nothing done', async () => {
      const root = mkdtempSync(join(tmpdir(), 'deload-spools-'));
      expect(await adoptOrphanSpools(join(root, 'missing'), 2)).toBe(0);
      await new WebhookSpool(join(root, 'api-1')).append([{ n: 1 }]);
      await new WebhookSpool(join(root, 'api-2')).append([{ n: 2 }]);
      expect(await adoptOrphanSpools(root, 1)).toBe(2);
      expect((await drained(root)).sort((a, b) => (a as { n: number }).n - (b as { n: number }).n)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(await adoptOrphanSpools(root, 1)).toBe(0);
    });
  });
});
