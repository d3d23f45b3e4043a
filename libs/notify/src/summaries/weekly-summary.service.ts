import { Injectable, Logger } from '@nestjs/common';
import { AlertsRepository, PainReportsRepository, RunsRepository, UserEntity, UsersRepository, WeekPainLine } from '@deload/persistence';
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
import { toIsoDate, weekFigures, WeekFigures } from './training-week';

/** The ledger key of a weekly email: one per person and ISO week. */
export function weeklyKey(userId: string, week: string): string {
  return `${userId}-${week}`;
}

/** The weekly summary email of one runner for one ISO week (Monday to Sunday of their runs' local days). */
@Injectable()
export class WeeklySummaryService {
  private readonly logger = new Logger(WeeklySummaryService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly runs: RunsRepository,
    private readonly painReports: PainReportsRepository,
    private readonly alerts: AlertsRepository,
    private readonly ledger: EmailLedger,
    private readonly links: EmailLinks,
    private readonly renderer: EmailRenderer,
  ) {}

  async send(userId: string, weekLabel: string): Promise<DeliveryOutcome> {
    const week = weekBounds(weekLabel);
    const key = weeklyKey(userId, week.label);
    const user = await this.users.byId(userId);
    if (!user) return 'skipped';
    if (!user.emailWeeklySummary) return this.skip(user, key, 'the runner turned the weekly summary off');
    const figures = await weekFigures(this.runs, user.id, week);
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
      pain: (await this.painReports.linesOfWeek(user.id, week.monday, week.sunday)).map((line) => describePain(line, units)),
      watch,
      links: this.links.footerLinks(user.id, 'weekly-summary', '/me'),
      reason: 'You get this summary every Monday morning; turn it off any time.',
    });
    return { to: user.email, subject, ...rendered, headers: this.links.unsubscribeHeaders(user.id, 'weekly-summary') };
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
    const alerts = await this.alerts.openOrSeenSince(user.id, weekStart);
    const carriedIds = new Set(await this.alerts.carriedByEmails(user.id));
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

function describePain(line: WeekPainLine, units: UserEntity['units']): string {
  const day = formatLocalDate(toIsoDate(line.day)).split(' ')[0];
  if (!line.hasPain) return `${day}: no pain`;
  const onset =
    line.onsetM !== null
      ? ` from ${formatDistance(line.onsetM, units)}`
      : line.onsetS !== null
        ? ` from ${formatDuration(line.onsetS)}`
        : '';
  return `${day}: ${painLabel(line.location)}${onset}`;
}
