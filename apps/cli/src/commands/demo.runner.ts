// Decorator metadata for Nest/TypeORM: loaded here, not in main.ts, so --help and replay start without it.
import 'reflect-metadata';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthModule } from '@deload/auth';
import { AppConfig, ConfigModule, loadConfigOrExit } from '@deload/config';
import { DemoModule, DemoPipeline, DemoSeed, DemoSeeder } from '@deload/demo';
import { Mailer, MailModule } from '@deload/mail';
import { AlertsRepository, EmailDeliveriesRepository, PersistenceModule } from '@deload/persistence';
import { QueueModule } from '@deload/queue';
import { createWorkerApp } from '../../../worker/src/bootstrap';
import { CLI_LOGGER } from '../cli-logger';

@Module({ imports: [ConfigModule.forRoot(), PersistenceModule, QueueModule, MailModule, AuthModule, DemoModule] })
class DemoSeedingModule {}

const say = (line = '') => process.stdout.write(`${line}\n`);

/** Imports the demo runners' files and reports (queueing their evaluations) with no worker in this process. */
async function seedDemo(): Promise<DemoSeed> {
  const app = await NestFactory.createApplicationContext(DemoSeedingModule, { logger: CLI_LOGGER, abortOnError: false });
  try {
    return await app.get(DemoSeeder).seed();
  } finally {
    await app.close();
  }
}

/**
 * Seeds the demo, then drives it through the real pipeline with a worker inside this process
 * (queues, rules, alert lifecycle, emails). Seeding comes first so each runner is evaluated on
 * their whole story (three pain reports, not the first two). Cron jobs stay off here: weekly
 * emails are the long-running worker's business.
 */
export async function runDemo(timeoutS: number): Promise<void> {
  loadConfigOrExit();
  say('Adding the demo team: a coach and four runners, runs imported from generated FIT files…');
  const seed = await seedDemo();
  const worker = await createWorkerApp({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, { extraImports: [DemoModule], schedule: false });
  try {
    for (const runner of seed.runners) {
      say(
        `  ${runner.user.displayName} <${runner.user.email}> (${runner.story}): ${runner.imported} runs imported, ${runner.duplicate} already there`,
      );
    }
    say('Running the rules and sending the emails (queue → worker → rules → notifier)…');
    await worker.get(DemoPipeline).settled(
      seed.runners.map((runner) => runner.user.id),
      timeoutS * 1000,
    );
    await report(worker, seed);
  } finally {
    await worker.close();
  }
}

async function report(worker: INestApplicationContext, seed: DemoSeed): Promise<void> {
  say();
  for (const runner of seed.runners) {
    const alerts = await worker.get(AlertsRepository).openSignsOf(runner.user.id);
    const flagged = alerts.map((alert) => `${alert.rule} (${alert.severity})`).join(', ');
    say(`  ${runner.user.displayName}: ${flagged || 'no warning signs'}`);
  }
  const sent = await worker.get(EmailDeliveriesRepository).countSent(
    seed.runners.map((runner) => runner.user.id),
    'alert',
  );
  const mailer = worker.get(Mailer);
  say();
  say(
    mailer.transport === 'outbox'
      ? `${sent} alert emails are in the outbox: ${mailer.outbox.dir} (and at /outbox once signed in)`
      : `${sent} alert emails were sent by SMTP`,
  );
  if (mailer.transport === 'outbox') {
    say(`At /outbox each person sees only their own; to read them all as the coach: npx deload admin grant ${seed.coach.email}`);
  }
  say();
  say(`Dashboard:  ${seed.dashboardUrl}`);
  say(`Sign in as ${seed.coach.displayName} (one-time link, valid 24 h):`);
  say(`  ${seed.loginUrl}`);
  if (process.env.npm_lifecycle_event === 'demo') {
    say('\nStarting Deload now (Ctrl-C stops it)…');
    return;
  }
  const publicUrl = worker.get(AppConfig).publicUrl('/health');
  const serving = await fetch(publicUrl).then(
    (response) => response.ok,
    () => false,
  );
  if (!serving) say(`\nNothing answers at ${publicUrl} yet: start Deload with \`npm start\`.`);
}
