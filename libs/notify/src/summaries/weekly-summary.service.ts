import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThanOrEqual } from 'typeorm';
import { AppConfig } from '@deload/config';
import type { PainLocation } from '@deload/domain';
import { AlertEntity, UserEntity, UsersRepository } from '@deload/persistence';
import {
  dayOfDate,
  formatChange,
  formatDateRange,
  formatDistance,
  formatDuration,
  formatLocalDate,
  leadOrder,
  LocalCalendar,
  painLabel,
} from '@deload/rules';
import { BriefContent, briefContent, withoutRepeatedAdvice } from '../alerts/alert-content';
import { DeliveryOutcome, EmailLedger } from '../delivery/email-ledger.service';
import { EmailLinks } from '../links/email-links.service';
import { EmailRenderer } from '../render/email-renderer';
import { weekBounds, WeekBounds } from './iso-week';
import { RUN_LOCAL_DATE, toIsoDate, weekFigures, WeekFigures } from './training-week';

interface PainLine {
  day: Date | string;
  has_pain: boolean;
  location: PainLocation | null;
  onset_m: number | null;
  onset_s: number | null;
}

/** The ledger key of a weekly email: one per person and ISO week. */
export function weeklyKey(userId: string, week: string): string {
  return `${userId}-${week}`;
}

/** The weekly summary email of one runner for one ISO week (Monday to Sunday of their runs' local days). */
@Injectable()
export class WeeklySummaryService {
  private readonly logger = new Logger(WeeklySummaryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly ledger: EmailLedger,
    private readonly links: EmailLinks,
    private readonly renderer: EmailRenderer,
    private readonly config: AppConfig,
  ) {}

  async send(userId: string, weekLabel: string): Promise<DeliveryOutcome> {
    const week = weekBounds(weekLabel);
    const key = weeklyKey(userId, week.label);
    const user = await this.users.byId(userId);
    if (!user) return 'skipped';
    if (!user.emailWeeklySummary) return this.skip(user, key, 'the runner turned the weekly summary off');
    const figures = await weekFigures(this.dataSource.manager, user.id, week);
    if (figures.runs === 0 && figures.previousRuns === 0) return this.skip(user, key, 'no runs in the last five weeks');
    const email = await this.compose(user, week, figures);
    return this.ledger.deliver({ kind: 'weekly-summary', dedupeKey: key, userId: user.id, email });
  }

  async compose(user: UserEntity, week: WeekBounds, figures: WeekFigures) {
    const units = user.units;
    const weekLabel = formatDateRange(week.monday, week.sunday);
    const distance = formatDistance(figures.distanceM, units);
    const watch = await this.signalsToWatch(user, week);
    const toWatch = watch.filter((signal) => !signal.emailed).length;
    const subject =
      (figures.runs === 0
        ? `Your week, ${weekLabel}: no runs recorded`
        : `Your week: ${distance} in ${figures.runs} run${figures.runs === 1 ? '' : 's'}`) +
      (toWatch ? `, ${toWatch} sign${toWatch === 1 ? '' : 's'} to watch` : '');
    const comparison =
      figures.previousAverageM && figures.runs > 0
        ? {
            average: formatDistance(figures.previousAverageM, units),
            change: formatChange(figures.distanceM / figures.previousAverageM - 1),
          }
        : null;
    const rendered = this.renderer.render('weekly-summary', {
      subject,
      preheader: comparison ? `${distance}, ${comparison.change} against your 4-week average.` : `${distance} last week.`,
      weekLabel,
      runs: figures.runs,
      distance,
      longest: formatDistance(figures.longestM, units),
      time: figures.movingS > 0 ? formatDuration(figures.movingS) : null,
      comparison,
      pain: (await this.painLines(user.id, week)).map((line) => describePain(line, units)),
      watch,
      links: {
        page: this.config.publicUrl('/me'),
        preferences: this.links.preferencesUrl(user.id),
        unsubscribe: this.links.unsubscribeUrl(user.id, 'weekly-summary'),
      },
      reason: 'You get this summary every Monday morning; turn it off any time.',
    });
    return { to: user.email, subject, ...rendered, headers: this.links.unsubscribeHeaders(user.id, 'weekly-summary') };
  }

  private async painLines(userId: string, week: WeekBounds): Promise<PainLine[]> {
    return this.dataSource.query(
      `SELECT ${RUN_LOCAL_DATE} AS day, p.has_pain, p.location, p.onset_m, p.onset_s
         FROM pain_reports p JOIN runs r ON r.id = p.run_id
        WHERE p.user_id = $1 AND ${RUN_LOCAL_DATE} BETWEEN $2::date AND $3::date
        ORDER BY r.start_utc`,
      [userId, week.monday, week.sunday],
    );
  }

  /**
   * "Watch this week": every warning sign still open or seen during the week, strongest evidence
   * first, with its numbers and first suggestion — and whether an alert email already told of it
   * (led it, or carried it under "also this week"). Weak signs, and anything the runner's alert
   * email setting held back, reach the runner here.
   */
  private async signalsToWatch(user: UserEntity, week: WeekBounds): Promise<(BriefContent & { emailed: boolean })[]> {
    const calendar = new LocalCalendar(LocalCalendar.isValidZone(user.timezone) ? user.timezone : 'UTC');
    const weekStart = new Date(calendar.startOf(dayOfDate(week.monday)!));
    const alerts = await this.dataSource.getRepository(AlertEntity).find({
      where: [
        { userId: user.id, state: 'open' },
        { userId: user.id, lastSeenAt: MoreThanOrEqual(weekStart) },
      ],
    });
    const carried: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT unnest(notify_also)::text AS id FROM alerts WHERE user_id = $1 AND notified_at IS NOT NULL`,
      [user.id],
    );
    const carriedIds = new Set(carried.map((row) => row.id));
    alerts.sort((a, b) => leadOrder(a, b) || b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
    return withoutRepeatedAdvice(alerts.map((alert) => briefContent(alert, user.units))).map((brief, index) => ({
      ...brief,
      emailed: alerts[index].notifiedAt !== null || carriedIds.has(alerts[index].id),
    }));
  }

  private async skip(user: UserEntity, key: string, reason: string): Promise<DeliveryOutcome> {
    await this.ledger.skip('weekly-summary', key, user.id, reason);
    this.logger.log(`weekly summary for ${user.id}: not sent, ${reason}`);
    return 'skipped';
  }
}

function describePain(line: PainLine, units: UserEntity['units']): string {
  const day = formatLocalDate(toIsoDate(line.day)).split(' ')[0];
  if (!line.has_pain) return `${day}: no pain`;
  const onset =
    line.onset_m !== null
      ? ` from ${formatDistance(line.onset_m, units)}`
      : line.onset_s !== null
        ? ` from ${formatDuration(line.onset_s)}`
        : '';
  return `${day}: ${painLabel(line.location)}${onset}`;
}
