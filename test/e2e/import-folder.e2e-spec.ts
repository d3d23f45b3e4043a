import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/archives';
import { uniqueEmail } from '../support/sessions';
import { fixturePath } from '../support/shared-fixtures';
import { Stack, startStack } from '../support/stack';
import { waitFor } from '../support/wait';

// Each test starts processes or an app; the machine may be busy.
jest.setTimeout(60_000);

describe('worker with IMPORT_DIR', () => {
  let stack: Stack;
  const root = tempDir('worker-watch');

  beforeAll(async () => {
    stack = await startStack({ worker: true, env: { IMPORT_DIR: root } });
  });

  afterAll(() => stack?.stop());

  it('imports files dropped into a runner folder and moves them to done/ or failed/', async () => {
    const email = uniqueEmail();
    mkdirSync(join(root, email));
    copyFileSync(fixturePath('fit', 'running-with-developer-data.fit'), join(root, email, 'run.fit'));
    copyFileSync(fixturePath('fit', 'nick.fit'), join(root, email, 'nick.fit'));
    await waitFor(
      'the watched folder to sort both files',
      () => existsSync(join(root, email, 'done', 'run.fit')) && existsSync(join(root, email, 'failed', 'nick.fit.reason.txt')),
    );
    expect(existsSync(join(root, email, 'run.fit'))).toBe(false);
  });
});
