import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SingleUseTokens } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { type PainLocation } from '@deload/domain';
import { PainReportEntity, PainReportsRepository, RunEntity, RunsRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { JobQueue } from '@deload/queue';
import { CheckinAnswer, observationFor, OnsetBucket, onsetBuckets, readCheckinAnswer } from './checkin-answers';
import { PainReportsService } from './pain-reports.service';
import { describeRun } from './run-label';

export const CHECKIN_PURPOSE = 'pain-checkin';
export const ADJUST_PURPOSE = 'pain-adjust';
export const CHECKIN_VALID_DAYS = 7;
const ADJUST_VALID_S = 2 * 24 * 3600;
/** Only runs that started this recently get a check-in: never the old runs of a backfill or an archive import. */
export const RECENT_RUN_HOURS = 36;

export interface CheckinClaims {
  runId: string;
  userId: string;
}

export interface CheckinContext {
  run: RunEntity;
  user: UserEntity;
  buckets: OnsetBucket[];
  /** "10.2 km run on Tuesday morning". */
  runLabel: string;
  report: PainReportEntity | null;
}

export type CheckinDecision = ({ ask: true } & CheckinContext) | { ask: false; reason: string; userId?: string };

/**
 * The "how did it feel?" email after a run: which runs get one, the one-click answers (signed,
 * expiring, single-use links), and recording what the runner clicked. The email itself is sent by
 * libs/notify (PainCheckinMailer) from the `pain-checkin` queue.
 */
@Injectable()
export class PainCheckins {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: SingleUseTokens,
    private readonly reports: PainReportsService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    private readonly runs: RunsRepository,
    private readonly painReports: PainReportsRepository,
  ) {}

  private get delayMs(): number {
    return this.config.env.PAIN_CHECKIN_DELAY_MIN * 60_000;
  }

  /**
   * Among new runs (inside the transaction that stores them): the recent ones whose runner wants
   * check-ins. Their `pain-checkin` job follows the commit (libs/events), delayed by
   * PAIN_CHECKIN_DELAY_MIN so a pain tag typed into the description right after the upload makes
   * the question unnecessary.
   */
  async dueAmong(manager: EntityManager, runIds: readonly string[], now = new Date()): Promise<string[]> {
    if (!runIds.length) return [];
    return this.runs.checkInCandidates(runIds, new Date(now.getTime() - RECENT_RUN_HOURS * 3600_000), manager);
  }

  /** Safety net (cron): queues check-ins that should exist but never got a job or a decision. */
  async sweep(now = new Date()): Promise<number> {
    const runIds = await this.runs.missingCheckIns(
      new Date(now.getTime() - RECENT_RUN_HOURS * 3600_000),
      new Date(now.getTime() - this.delayMs - 5 * 60_000),
    );
    for (const id of runIds) await this.jobs.add('pain-checkin', { runId: id }, { jobId: `checkin-${id}` });
    return runIds.length;
  }

  /** Decides, when the email is due, whether to still ask: the runner may have answered, opted out or run again. */
  async decide(runId: string, now = new Date()): Promise<CheckinDecision> {
    const run = await this.runs.byId(runId);
    if (!run) return { ask: false, reason: 'the run no longer exists' };
    const user = await this.users.byIdOrFail(run.userId);
    const no = (reason: string): CheckinDecision => ({ ask: false, reason, userId: user.id });
    if (!run.isRun) return no('not a run');
    if (now.getTime() - run.startUtc.getTime() > RECENT_RUN_HOURS * 3600_000 + this.delayMs) return no('the run is too old to ask about');
    if (!(await this.wantsCheckins(user))) return no('the runner does not want check-ins');
    if (await this.reports.forRun(user.id, run.id)) return no('the runner already reported on this run');
    if (await this.runs.hasRunAfter(user.id, run.id, run.startUtc)) return no('a newer run will be asked about instead');
    return { ask: true, ...this.contextOf(run, user, null) };
  }

  async wantsCheckins(user: UserEntity): Promise<boolean> {
    if (user.painCheckin === 'off') return false;
    return user.painCheckin === 'on' || this.reports.hasEverReportedPain(user.id);
  }

  issueToken(run: RunEntity): string {
    return this.tokens.issue<CheckinClaims>(CHECKIN_PURPOSE, { runId: run.id, userId: run.userId }, CHECKIN_VALID_DAYS * 24 * 3600);
  }

  /** The link behind each answer of the email. */
  answerLinks(token: string, buckets: OnsetBucket[]): { none: string; buckets: { label: string; href: string }[]; other: string } {
    const link = (answer: string) => this.config.publicUrl(`/pain/checkin?t=${token}&answer=${answer}`);
    return {
      none: link('none'),
      buckets: buckets.map((bucket) => ({ label: bucket.label, href: link(bucket.key) })),
      other: link('other'),
    };
  }

  /** Looks at a check-in or adjust link without using it up (to show the form). */
  async peek(purpose: typeof CHECKIN_PURPOSE | typeof ADJUST_PURPOSE, token: string): Promise<CheckinContext> {
    return this.load(this.tokens.peek<CheckinClaims>(purpose, token).data);
  }

  /**
   * A click on one answer of the email: uses up the link and records the answer (nothing for
   * "other", which only opens the form). Returns a fresh single-use token for the adjust form.
   */
  async answer(token: string, rawAnswer: unknown): Promise<{ context: CheckinContext; answer: CheckinAnswer; adjustToken: string }> {
    const peeked = await this.peek(CHECKIN_PURPOSE, token);
    const answer = readCheckinAnswer(rawAnswer, peeked.buckets);
    const observation = observationFor(answer, await this.usualLocation(peeked.user.id));
    if (!observation) return { context: peeked, answer, adjustToken: token };
    await this.tokens.consume(CHECKIN_PURPOSE, token);
    const report = await this.reports.record(peeked.user.id, peeked.run.id, observation, 'email_link');
    return { context: { ...peeked, report }, answer, adjustToken: this.issueAdjustToken(peeked.run) };
  }

  /** The form on the landing page: uses up its link and records the details. */
  async submit(
    purpose: typeof CHECKIN_PURPOSE | typeof ADJUST_PURPOSE,
    token: string,
    raw: unknown,
  ): Promise<{ context: CheckinContext; adjustToken: string }> {
    const peeked = await this.peek(purpose, token);
    // A mistake in the form must not use up the link: validate first.
    const input = this.reports.validate(peeked.run, raw);
    await this.tokens.consume(purpose, token);
    const report = await this.reports.record(peeked.user.id, peeked.run.id, input, 'email_link');
    return { context: { ...peeked, report }, adjustToken: this.issueAdjustToken(peeked.run) };
  }

  /** The run a genuine check-in or adjust link is about, even when it is used up; undefined for anything else. */
  runIdOf(token: string | undefined): string | undefined {
    for (const purpose of [CHECKIN_PURPOSE, ADJUST_PURPOSE]) {
      try {
        return this.tokens.peek<CheckinClaims>(purpose, String(token ?? '')).data.runId;
      } catch {
        // not this kind of link, or expired
      }
    }
    return undefined;
  }

  private issueAdjustToken(run: RunEntity): string {
    return this.tokens.issue<CheckinClaims>(ADJUST_PURPOSE, { runId: run.id, userId: run.userId }, ADJUST_VALID_S);
  }

  private async usualLocation(userId: string): Promise<PainLocation | undefined> {
    const latest = await this.painReports.latestPainful(userId);
    return latest?.location && latest.location !== 'other' ? latest.location : undefined;
  }

  private async load(claims: CheckinClaims): Promise<CheckinContext> {
    const run = await this.reports.ownRun(claims.userId, claims.runId);
    const user = await this.users.byIdOrFail(claims.userId);
    return this.contextOf(run, user, await this.reports.forRun(user.id, run.id));
  }

  private contextOf(run: RunEntity, user: UserEntity, report: PainReportEntity | null): CheckinContext {
    return { run, user, report, buckets: onsetBuckets(run.distanceM, user.units), runLabel: describeRun(run, user.units) };
  }
}
