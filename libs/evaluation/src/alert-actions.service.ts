import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { RunnerAccess, Viewer } from '@deload/auth';
import { AlertResponse, DISMISS_REASONS, DismissReason, forbidden, invalid, isUuid } from '@deload/domain';
import { AlertActionKind, AlertActionRecord, AlertActionsRepository, AlertEntity, AlertsRepository } from '@deload/persistence';

const note = z
  .string({ error: 'must be text' })
  .trim()
  .max(500, 'must be at most 500 characters')
  .nullish()
  .transform((value) => value || undefined);

/** POST /api/alerts/:id/acknowledge: an optional note. */
export const acknowledgeInputSchema = z.strictObject({ note });

/** POST /api/alerts/:id/dismiss: why, and an optional note. */
export const dismissInputSchema = z.strictObject({
  reason: z.enum(DISMISS_REASONS, { error: `must be one of ${DISMISS_REASONS.join(', ')}` }),
  note,
});

/** An alert's response in force and every action on it, oldest first. */
export interface AlertActionsResult {
  alert: { id: string; runnerId: string; response: AlertResponse | null; responseAt: Date | null };
  actions: AlertActionRecord[];
}

const NO_SUCH_ALERT = 'you do not have access to this alert';

/**
 * What a runner or their coach does about an alert: acknowledge it (seen), dismiss it with a reason,
 * or withdraw either. Who may: whoever may see the runner (RunnerAccess: the runner, a coach of a
 * team they accepted). Each action is kept with who and when (alert_actions); the one in force is
 * on the alert, where the next evaluation reads it (libs/rules → email-policy.ts: an acknowledged
 * alert emails again only when its severity rises; a dismissed episode emails no more).
 */
@Injectable()
export class AlertActions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: RunnerAccess,
    private readonly alerts: AlertsRepository,
    private readonly actions: AlertActionsRepository,
  ) {}

  async acknowledge(viewer: Viewer, alertId: string, raw: unknown): Promise<AlertActionsResult> {
    const alert = await this.visibleAlert(viewer, alertId);
    const input = parse(acknowledgeInputSchema, raw, 'acknowledgement');
    return this.act(viewer, alert, { action: 'acknowledged', note: input.note });
  }

  async dismiss(viewer: Viewer, alertId: string, raw: unknown): Promise<AlertActionsResult> {
    const alert = await this.visibleAlert(viewer, alertId);
    const input = parse(dismissInputSchema, raw, 'dismissal');
    return this.act(viewer, alert, { action: 'dismissed', reason: input.reason, note: input.note });
  }

  /** Takes back the acknowledgement or dismissal in force (nothing to take back: nothing is recorded). */
  async withdraw(viewer: Viewer, alertId: string): Promise<AlertActionsResult> {
    const alert = await this.visibleAlert(viewer, alertId);
    if (!alert.response) return this.resultOf(alert);
    return this.act(viewer, alert, { action: 'withdrawn' });
  }

  /** The alert when the viewer may see its runner; the same answer for "no such alert" and "not yours". */
  async visibleAlert(viewer: Viewer, alertId: string): Promise<AlertEntity> {
    const alert = isUuid(alertId) ? await this.alerts.byId(alertId) : null;
    if (!alert || !(await this.access.canView(viewer, alert.userId))) throw forbidden(NO_SUCH_ALERT);
    return alert;
  }

  private async act(
    viewer: Viewer,
    alert: AlertEntity,
    what: { action: AlertActionKind; reason?: DismissReason; note?: string },
  ): Promise<AlertActionsResult> {
    const at = new Date();
    await this.dataSource.transaction(async (tx) => {
      // Not in the middle of the runner's evaluation: it reads the response once, in its own transaction.
      await this.alerts.lockRunnerEvaluation(alert.userId, tx);
      await this.actions.record({ alertId: alert.id, actorId: viewer.id, severity: alert.severity, at, ...what }, tx);
      const response = what.action === 'withdrawn' ? null : { kind: what.action, at, severity: alert.severity };
      await this.alerts.setResponse(alert.id, response, tx);
    });
    return this.resultOf((await this.alerts.byId(alert.id))!);
  }

  private async resultOf(alert: AlertEntity): Promise<AlertActionsResult> {
    return {
      alert: { id: alert.id, runnerId: alert.userId, response: alert.response, responseAt: alert.responseAt },
      actions: await this.actions.ofAlerts([alert.id]),
    };
  }
}

function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.output<S> {
  const result = schema.safeParse(raw ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    const path = issue.path.join('.');
    if (!path) return 'the body must be a JSON object';
    return issue.input === undefined ? `${path} is required` : `${path} ${issue.message}`;
  });
  throw invalid(`invalid ${what}: ${problems.join('; ')}`, { problems });
}
