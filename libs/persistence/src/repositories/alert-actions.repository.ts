import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DismissReason, Severity } from '@deload/domain';
import { AlertActionEntity, AlertActionKind } from '../entities/alert-action.entity';
import { TableRepository } from './table-repository';

/** One action as pages and the API show it: who (by name), what, why, when. */
export interface AlertActionRecord {
  id: string;
  alertId: string;
  action: AlertActionKind;
  reason: DismissReason | null;
  note: string | null;
  severity: Severity;
  at: Date;
  /** Null once the account is gone. */
  actor: { id: string; name: string } | null;
}

export interface NewAlertAction {
  alertId: string;
  actorId: string;
  action: AlertActionKind;
  reason?: DismissReason | null;
  note?: string | null;
  severity: Severity;
  at: Date;
}

/** alert_actions: what runners and coaches did about alerts (acknowledged, dismissed, withdrawn), with who and when. */
@Injectable()
export class AlertActionsRepository extends TableRepository {
  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  async record(action: NewAlertAction, tx?: EntityManager): Promise<AlertActionEntity> {
    const db = this.db(tx);
    const { at, ...fields } = action;
    return db.save(db.create(AlertActionEntity, { ...fields, reason: fields.reason ?? null, note: fields.note ?? null, createdAt: at }));
  }

  /** The actions on these alerts, oldest first, with the actor's display name (or email). */
  async ofAlerts(alertIds: readonly string[]): Promise<AlertActionRecord[]> {
    if (!alertIds.length) return [];
    const rows: {
      id: string;
      alert_id: string;
      action: AlertActionKind;
      reason: DismissReason | null;
      note: string | null;
      severity: Severity;
      created_at: Date;
      actor_id: string | null;
      actor_name: string | null;
    }[] = await this.db().query(
      `SELECT a.id, a.alert_id, a.action, a.reason, a.note, a.severity, a.created_at, a.actor_id,
              coalesce(nullif(trim(u.display_name), ''), u.email) AS actor_name
         FROM alert_actions a LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.alert_id = ANY($1::uuid[])
        ORDER BY a.created_at, a.id`,
      [alertIds],
    );
    return rows.map((row) => ({
      id: row.id,
      alertId: row.alert_id,
      action: row.action,
      reason: row.reason,
      note: row.note,
      severity: row.severity,
      at: row.created_at,
      actor: row.actor_id && row.actor_name ? { id: row.actor_id, name: row.actor_name } : null,
    }));
  }
}
