import { Injectable, Logger } from '@nestjs/common';
import { RunnerAccess } from '@deload/auth';
import { AppConfig } from '@deload/config';
import { severityRank } from '@deload/domain';
import { AlertsRepository, PainReportsRepository, RunsRepository, TeamsRepository, UserEntity, UsersRepository } from '@deload/persistence';
import { formatChange, formatDateRange, formatDistance, presentationOf, SEVERITY_LABELS } from '@deload/rules';
import { DeliveryOutcome, EmailLedger } from '../delivery/email-ledger.service';
import { EmailLinks } from '../links/email-links.service';
import { EmailRenderer } from '../render/email-renderer';
import { weekBounds, WeekBounds } from './iso-week';
import { weekFigures } from './training-week';
import { weeklyKey } from './weekly-summary.service';

interface RunnerLine {
  name: string;
  href: string;
  distance: string;
  notes: string[];
  concern: number;
  /** Whether Strava-sourced runs count in `distance` (see RunnerAccess.viewOf). */
  includesStrava: boolean;
}

/**
 * A coach's weekly digest: per team, each runner who consented (active membership) with last week's
 * distance, open warning signs and pain reports. Distances count only what the coach may see:
 * Strava-sourced runs only where the dashboard would show them to this coach (RunnerAccess.viewOf:
 * STRAVA_COACH_SHARING on and the runner agreed when joining; DESIGN.md → Strava).
 */
@Injectable()
export class CoachDigestService {
  private readonly logger = new Logger(CoachDigestService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly teamsRepository: TeamsRepository,
    private readonly runs: RunsRepository,
    private readonly painReports: PainReportsRepository,
    private readonly alerts: AlertsRepository,
    private readonly ledger: EmailLedger,
    private readonly links: EmailLinks,
    private readonly renderer: EmailRenderer,
    private readonly config: AppConfig,
    private readonly access: RunnerAccess,
  ) {}

  async send(coachId: string, weekLabel: string): Promise<DeliveryOutcome> {
    const week = weekBounds(weekLabel);
    const key = weeklyKey(coachId, week.label);
    const coach = await this.users.byId(coachId);
    if (!coach) return 'skipped';
    const teams = await this.teams(coach.id, week);
    const reason = !coach.emailCoachDigest ? 'the coach turned the digest off' : !teams.length ? 'the coach has no team' : null;
    if (reason) {
      await this.ledger.skip('coach-digest', key, coach.id, reason);
      this.logger.log(`coach digest for ${coach.id}: not sent, ${reason}`);
      return 'skipped';
    }
    return this.ledger.deliver({ kind: 'coach-digest', dedupeKey: key, userId: coach.id, email: this.compose(coach, week, teams) });
  }

  compose(coach: UserEntity, week: WeekBounds, teams: { name: string; runners: RunnerLine[] }[]) {
    const runners = teams.flatMap((team) => team.runners);
    const flagged = runners.filter((runner) => runner.concern > 0).length;
    const weekLabel = formatDateRange(week.monday, week.sunday);
    const summary = `${runners.length} runner${runners.length === 1 ? '' : 's'}; ${flagged ? `${flagged} with something to look at` : 'nothing to flag'}.`;
    const subject = `Your team, ${weekLabel}: ${flagged ? `${flagged} runner${flagged === 1 ? '' : 's'} to look at` : 'nothing to flag'}`;
    const rendered = this.renderer.render('coach-digest', {
      subject,
      preheader: summary,
      weekLabel,
      summary,
      teams,
      limitedToUploads: runners.some((runner) => !runner.includesStrava),
      links: this.links.footerLinks(coach.id, 'coach-digest', '/teams'),
      reason: 'You get this digest every Monday because you coach a team on Deload.',
    });
    return { to: coach.email, subject, ...rendered, headers: this.links.unsubscribeHeaders(coach.id, 'coach-digest') };
  }

  private async teams(coachId: string, week: WeekBounds): Promise<{ name: string; runners: RunnerLine[] }[]> {
    const teams = new Map<string, { name: string; runners: RunnerLine[] }>();
    for (const line of await this.teamsRepository.rosterOf(coachId)) {
      const team = teams.get(line.teamId) ?? { name: line.teamName, runners: [] };
      teams.set(line.teamId, team);
      if (line.runnerId)
        team.runners.push(
          await this.runnerLine(coachId, line.runnerId, line.runnerName ?? line.runnerEmail!.split('@')[0], line.coachUnits, week),
        );
    }
    for (const team of teams.values()) team.runners.sort((a, b) => b.concern - a.concern);
    return [...teams.values()];
  }

  private async runnerLine(coachId: string, runnerId: string, name: string, units: 'km' | 'mi', week: WeekBounds): Promise<RunnerLine> {
    const { includeStravaData } = await this.access.viewOf({ id: coachId }, runnerId);
    const figures = await weekFigures(this.runs, runnerId, week, includeStravaData);
    const alerts = await this.alerts.openSignsOf(runnerId);
    const painful = await this.painReports.painfulRunsInWeek(runnerId, week.monday, week.sunday, includeStravaData);
    alerts.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    const notes = alerts.map(
      (alert) => `${SEVERITY_LABELS[alert.severity].toLowerCase()}: ${presentationOf(alert.rule)?.listName ?? alert.rule}`,
    );
    if (painful) notes.push(`pain reported on ${painful} run${painful === 1 ? '' : 's'}`);
    if (figures.previousAverageM && figures.runs) notes.push(`${formatChange(figures.distanceM / figures.previousAverageM - 1)} on usual`);
    return {
      name,
      href: this.config.publicUrl(`/runners/${runnerId}`),
      distance: figures.runs ? formatDistance(figures.distanceM, units) : 'no runs',
      notes,
      concern: (alerts.length ? severityRank(alerts[0].severity) + 1 : 0) * 10 + painful,
      includesStrava: includeStravaData,
    };
  }
}
