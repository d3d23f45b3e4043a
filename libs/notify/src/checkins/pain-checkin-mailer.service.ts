import { Injectable, Logger } from '@nestjs/common';
import { CHECKIN_VALID_DAYS, CheckinContext, PainCheckins } from '@deload/pain-reports';
import { DeliveryOutcome, EmailLedger } from '../delivery/email-ledger.service';
import { EmailLinks } from '../links/email-links.service';
import { EmailRenderer } from '../render/email-renderer';

/** Sends the "how did your run feel?" email for one run, at most once (ledger key: the run id). */
@Injectable()
export class PainCheckinMailer {
  private readonly logger = new Logger(PainCheckinMailer.name);

  constructor(
    private readonly checkins: PainCheckins,
    private readonly ledger: EmailLedger,
    private readonly links: EmailLinks,
    private readonly renderer: EmailRenderer,
  ) {}

  async send(runId: string): Promise<DeliveryOutcome> {
    const decision = await this.checkins.decide(runId);
    if (!decision.ask) {
      if (decision.userId) await this.ledger.skip('pain-checkin', runId, decision.userId, decision.reason);
      this.logger.log(`run ${runId}: no check-in, ${decision.reason}`);
      return 'skipped';
    }
    const { run, user } = decision;
    return this.ledger.deliver({ kind: 'pain-checkin', dedupeKey: run.id, userId: user.id, email: this.compose(decision) });
  }

  compose({ run, user, buckets, runLabel }: CheckinContext) {
    const subject = `How did your ${runLabel} feel?`;
    const rendered = this.renderer.render('pain-checkin', {
      subject,
      preheader: 'One click: no pain, or roughly when it started.',
      runLabel,
      answers: this.checkins.answerLinks(this.checkins.issueToken(run), buckets),
      validDays: CHECKIN_VALID_DAYS,
      links: this.links.footerLinks(user.id, 'pain-checkin', '/me'),
      reason:
        user.painCheckin === 'on'
          ? 'You asked Deload to check in after your runs.'
          : 'You get these check-ins because you reported pain after a run; they help spot pain that starts earlier each time.',
    });
    return { to: user.email, subject, ...rendered, headers: this.links.unsubscribeHeaders(user.id, 'pain-checkin') };
  }
}
