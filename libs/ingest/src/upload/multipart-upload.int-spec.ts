import { existsSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { receiveMultipartFiles } from './multipart-upload';

/**
 * An HTTP server on loopback that receives one upload and reports what became of it; `delayMs`
 * before it starts reading, as the api authorises a request first.
 */
async function uploadServer(idleMs: number, delayMs = 0): Promise<{ server: Server; port: number; received: Promise<unknown> }> {
  let settle!: (outcome: unknown) => void;
  const received = new Promise((resolve) => (settle = resolve));
  const server = createServer(async (request: IncomingMessage, response) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    receiveMultipartFiles(request, { maxBytes: 1_000_000, maxFiles: 5, idleMs }).then(
      async (upload) => {
        await upload.dispose();
        settle({ files: upload.files });
        response.end('ok');
      },
      (error: Error) => settle({ error: error.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

describe('receiveMultipartFiles', () => {
  it('drops an upload whose client stops sending half-way, closing its connection (its temporary folder goes with the refusal)', async () => {
    const { server, port, received } = await uploadServer(200);
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.on('error', () => undefined);
    socket.write(
      [
        'POST /upload HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: multipart/form-data; boundary=XYZ',
        'Content-Length: 100000',
        '',
        '--XYZ',
        'Content-Disposition: form-data; name="file"; filename="run.fit"',
        'Content-Type: application/octet-stream',
        '',
        'the first bytes of a file, then nothing more',
      ].join('\r\n'),
    );
    const outcome = (await received) as { error?: string };
    expect(outcome.error).toMatch(/stalled|aborted/);
    await closed;
    expect(outcome).not.toHaveProperty('files');
    server.closeAllConnections();
    server.close();
  });

  it('refuses an upload whose client hung up mid-body, also before it began to be read', async () => {
    for (const delayMs of [0, 300]) {
      const { server, port, received } = await uploadServer(5_000, delayMs);
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: 100000\r\n\r\n--XYZ\r\n',
      );
      setTimeout(() => socket.destroy(), 100);
      expect(await received).toEqual({ error: expect.stringMatching(/cut off|aborted/) });
      server.closeAllConnections();
      server.close();
    }
  });

  it('keeps an upload that arrives in full', async () => {
    const { server, port, received } = await uploadServer(5_000);
    const body = new FormData();
    body.append('file', new Blob([Buffer.from('fit bytes')]), 'run.fit');
    const response = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body });
    expect(await response.text()).toBe('ok');
    const { files } = (await received) as { files: { filename: string; path: string; sizeBytes: number }[] };
    expect(files).toEqual([expect.objectContaining({ filename: 'run.fit', sizeBytes: 9 })]);
    expect(existsSync(files[0].path)).toBe(false);
    server.closeAllConnections();
    server.close();
  });
});
