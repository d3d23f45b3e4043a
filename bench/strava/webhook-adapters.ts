/**
 * The HTTP layer alone, for the Fastify question (issue 16): a POST of a Strava event answered
 * `{"received":true}` by node:http with a hand-rolled JSON reader (the api's lean path),
 * Express 5 with express.json(), and Fastify 5 with its own JSON parser — no database, no Redis,
 * no Nest — each in a server process of its own, from 100 keep-alive connections; the server's CPU
 * per request (from /proc) does not depend on the load of the machine.
 *
 *   node -r ./bench/support/register.js bench/strava/webhook-adapters.ts [requests=20000] [rounds=2]
 *
 * Fastify is not a dependency of Deload: `npm install --no-save fastify@5` first to include it
 * (without it, it is left out). Prints figures only; it has no target.
 */
import { ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import express from 'express';
import { percentile } from '../support/options';
import { RawConnection } from '../support/raw-http';

const RECEIVED = JSON.stringify({ received: true });
type Adapter = 'node:http' | 'express' | 'fastify';

const loadOptional = (name: string): unknown => {
  try {
    return createRequire(__filename)(name);
  } catch {
    return undefined;
  }
};

function serve(adapter: Adapter): void {
  const ready = (port: number) => process.send!({ port });
  if (adapter === 'node:http') {
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': RECEIVED.length }).end(RECEIVED);
      });
    });
    server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
  } else if (adapter === 'express') {
    const app = express();
    app.post('/webhooks/strava', express.json({ limit: '100kb' }), (_request, response) => void response.json({ received: true }));
    const server = app.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
  } else {
    const fastify = loadOptional('fastify') as (options: object) => {
      post(path: string, handler: () => Promise<unknown>): void;
      listen(options: object): Promise<string>;
    };
    const app = fastify({ logger: false, bodyLimit: 100 * 1024 });
    app.post('/webhooks/strava', async () => ({ received: true }));
    void app.listen({ port: 0, host: '127.0.0.1' }).then((address) => ready(Number(new URL(address).port)));
  }
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function measure(adapter: Adapter, requests: number, concurrency: number) {
  const child: ChildProcess = fork(__filename, ['serve', adapter], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
  const connections = await Promise.all(Array.from({ length: concurrency }, () => RawConnection.open(port)));
  const body = (i: number) =>
    JSON.stringify({
      aspect_type: 'create',
      event_time: 1_760_000_000 + i,
      object_id: 10_000_000_000 + i,
      object_type: 'activity',
      owner_id: 5_000,
      subscription_id: 1,
      updates: {},
    });
  const run = async (count: number) => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      connections.map(async (connection) => {
        while (next < count) {
          const sent = performance.now();
          if ((await connection.post('/webhooks/strava', body(next++))) !== 200) throw new Error(`${adapter} did not answer 200`);
          latencies.push(performance.now() - sent);
        }
      }),
    );
    return latencies.sort((a, b) => a - b);
  };
  await run(2_000);
  const cpuBefore = cpuSeconds(child.pid!);
  const started = performance.now();
  const latencies = await run(requests);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(child.pid!) - cpuBefore;
  for (const connection of connections) connection.close();
  child.kill();
  return {
    adapter,
    load: +loadavg()[0].toFixed(1),
    perSecond: Math.round(requests / seconds),
    perServerCpuSecond: Math.round(requests / cpu),
    serverCpuPerRequestUs: Math.round((cpu / requests) * 1e6),
    p99: +percentile(latencies, 99).toFixed(1),
  };
}

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 20_000);
  const rounds = Number(process.argv[3] ?? 2);
  const adapters: Adapter[] = ['node:http', 'express'];
  if (loadOptional('fastify')) adapters.push('fastify');
  else console.log('fastify is not installed (npm install --no-save fastify@5): measuring node:http and express only');
  for (let round = 1; round <= rounds; round += 1) {
    for (const adapter of adapters) console.log(JSON.stringify(await measure(adapter, requests, 100)));
  }
}

if (process.argv[2] === 'serve') serve(process.argv[3] as Adapter);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
