import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SingleUseTokens } from '@deload/auth';
import { TokenCipher } from '@deload/crypto';
import { DomainError, forbidden, isPlaceholderEmail, Role } from '@deload/domain';
import { DomainEvent, DomainEvents } from '@deload/events';
import { BACKFILL_DAYS } from '../sync/backfill-window';
import { isSameOuting, lockRunnerData, SAME_OUTING } from '@deload/ingest';
import { RunEntity, StravaConnectionsRepository, TeamsRepository, UserEntity, UsersRepository } from '@deload/persistence';

const PURPOSE = 'account-merge';
/** Time to read the confirmation page and press its button. */
export const MERGE_TTL_S = 30 * 60;

export interface MergeClaim {
  /** The account made by "Sign in with Strava", without an email address: it goes. */
  sourceId: string;
  /** The account with the address: it stays, with the Strava connection and everything of the source. */
  targetId: string;
}

/** What the confirmation page tells the runner before they merge. */
export interface MergePreview {
  token: string;
  target: { email: string };
  source: { name: string | null; createdAt: Date; runs: number; teams: number };
}

export interface MergeResult {
  target: UserEntity;
  runsMoved: number;
  runsJoined: number;
  /** The Strava connection, now the target's; `backfilled` false when its first import had not finished (it starts again for the target). */
  connection: { id: string; backfilled: boolean };
}

interface SourceRun {
  id: string;
  start_utc: Date;
  distance_m: number;
  sources: { source: string; external_id: string }[];
  has_pain: boolean;
}

function unionRole(a: Role, b: Role): Role {
  return a === b ? a : 'both';
}

/**
 * Claiming a Strava athlete that sits on an email-less account ("Sign in with Strava" made it)
 * from an account with an email address: the two become one, the address's. Both must have been
 * confirmed first — the address by its sign-in or confirmation link, the athlete by Strava's OAuth
 * or a session of the email-less account — and the runner confirms the merge on a page (a signed,
 * single-use token ties that page to the two accounts).
 *
 * The merge, in one transaction under both runners' data locks: the Strava connection (its tokens
 * sealed again for the new owner), runs (an outing both accounts have becomes one run), shoes,
 * imports, pain reports, teams and memberships move; the email-less account's alerts go (nothing
 * was ever emailed to it) and the merged runner is evaluated again (and a history import that had
 * not finished starts again for the new owner); the email-less account and its sessions are deleted.
 */
@Injectable()
export class StravaAccountMerge {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly teams: TeamsRepository,
    private readonly connections: StravaConnectionsRepository,
    private readonly tokens: SingleUseTokens,
    private readonly cipher: TokenCipher,
    private readonly events: DomainEvents,
  ) {}

  /** Why these two accounts cannot merge, or undefined when they can. */
  async problem(sourceId: string, targetId: string, manager?: EntityManager): Promise<string | undefined> {
    if (sourceId === targetId) return 'these are the same account';
    const users = await this.users.byIds([sourceId, targetId], manager);
    const source = users.find((user) => user.id === sourceId);
    const target = users.find((user) => user.id === targetId);
    if (!source || !target) return 'one of the accounts no longer exists';
    if (!isPlaceholderEmail(source.email)) return 'the Strava account already belongs to an account with an email address';
    if (isPlaceholderEmail(target.email)) return 'the account to keep has no email address';
    const connected = await this.connections.connectedAmong([sourceId, targetId], manager);
    if (!connected.includes(sourceId)) return 'the email-less account is not connected to Strava';
    if (connected.includes(targetId)) return 'your account is already connected to another Strava account: disconnect it first';
    return undefined;
  }

  /** A confirmation for the runner, or DomainError('conflict') saying why the accounts cannot merge. */
  async offer(sourceId: string, targetId: string): Promise<MergePreview> {
    const problem = await this.problem(sourceId, targetId);
    if (problem) throw new DomainError('conflict', problem);
    const [source, target] = await Promise.all([this.users.byIdOrFail(sourceId), this.users.byIdOrFail(targetId)]);
    const [{ runs }] = await this.dataSource.query(`SELECT count(*)::int AS runs FROM runs WHERE user_id = $1`, [sourceId]);
    const teams = await this.teams.activeMembershipCount(sourceId);
    return {
      token: this.tokens.issue<MergeClaim>(PURPOSE, { sourceId, targetId }, MERGE_TTL_S),
      target: { email: target.email },
      source: { name: source.displayName, createdAt: source.createdAt, runs, teams },
    };
  }

  /** The accounts a merge token names, once its signature and expiry are checked (for the page). */
  peek(token: string): MergeClaim {
    return this.tokens.peek<MergeClaim>(PURPOSE, token).data;
  }

  /** Merges, if `signedIn` is one of the two accounts the token names. */
  async merge(token: string, signedIn: UserEntity): Promise<MergeResult> {
    const claim = this.peek(token);
    if (signedIn.id !== claim.sourceId && signedIn.id !== claim.targetId) {
      throw forbidden('this merge belongs to other accounts: sign in as one of them and start again');
    }
    const result = await this.dataSource.transaction(async (manager) => {
      await this.tokens.consume(PURPOSE, token, manager);
      for (const id of [claim.sourceId, claim.targetId].sort()) await lockRunnerData(manager, id);
      await this.users.lock([claim.sourceId, claim.targetId], manager);
      const problem = await this.problem(claim.sourceId, claim.targetId, manager);
      if (problem) throw new DomainError('conflict', problem);
      const merged = await this.mergeLocked(manager, claim);
      await this.events.record(manager, ...followUpEvents(merged));
      return merged;
    });
    return result;
  }

  private async mergeLocked(manager: EntityManager, { sourceId, targetId }: MergeClaim): Promise<MergeResult> {
    await this.moveShoes(manager, sourceId, targetId);
    await manager.query(`UPDATE import_files SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
    const { moved, joined } = await this.moveRuns(manager, sourceId, targetId);
    await this.teams.moveToAccount(sourceId, targetId, manager);
    const connection = await this.moveStravaConnection(manager, sourceId, targetId);
    const [source, target] = await Promise.all([this.users.byIdOrFail(sourceId, manager), this.users.byIdOrFail(targetId, manager)]);
    await this.users.update(
      targetId,
      { role: unionRole(source.role, target.role), displayName: target.displayName ?? source.displayName },
      manager,
    );
    // Alerts, email ledger rows and sessions of the email-less account go with it (ON DELETE CASCADE).
    await this.users.remove(sourceId, manager);
    return { target: await this.users.byIdOrFail(targetId, manager), runsMoved: moved, runsJoined: joined, connection };
  }

  /** A shoe both have (same source and id) is the target's; runs on the source's copy move to it. */
  private async moveShoes(manager: EntityManager, sourceId: string, targetId: string): Promise<void> {
    await manager.query(
      `UPDATE runs SET shoe_id = t.id
         FROM shoes s JOIN shoes t ON t.user_id = $2 AND t.source = s.source AND t.external_id = s.external_id
        WHERE s.user_id = $1 AND runs.shoe_id = s.id`,
      [sourceId, targetId],
    );
    await manager.query(
      `DELETE FROM shoes s USING shoes t
        WHERE s.user_id = $1 AND t.user_id = $2 AND t.source = s.source AND t.external_id = s.external_id`,
      [sourceId, targetId],
    );
    await manager.query(`UPDATE shoes SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
  }

  /**
   * Each run of the source either joins the target's run of the same outing (the same record, or
   * start within 2 min and distance within 3 % with no record of the same source yet) — its
   * sources and, when the target's run has none, its pain report go along — or moves over whole.
   */
  private async moveRuns(manager: EntityManager, sourceId: string, targetId: string): Promise<{ moved: number; joined: number }> {
    const runs: SourceRun[] = await manager.query(
      `SELECT r.id, r.start_utc, r.distance_m,
              coalesce(json_agg(json_build_object('source', s.source, 'external_id', s.external_id)) FILTER (WHERE s.id IS NOT NULL), '[]') AS sources,
              EXISTS (SELECT 1 FROM pain_reports p WHERE p.run_id = r.id) AS has_pain
         FROM runs r LEFT JOIN run_sources s ON s.run_id = r.id
        WHERE r.user_id = $1 GROUP BY r.id ORDER BY r.start_utc`,
      [sourceId],
    );
    let joined = 0;
    for (const run of runs) {
      const twin = await this.twinOf(manager, targetId, run);
      if (!twin) continue;
      joined += 1;
      await manager.query(
        `UPDATE run_sources s SET run_id = $2, user_id = $3
          WHERE s.run_id = $1
            AND NOT EXISTS (SELECT 1 FROM run_sources t WHERE t.user_id = $3 AND t.source = s.source AND t.external_id = s.external_id)`,
        [run.id, twin, targetId],
      );
      if (run.has_pain) {
        await manager.query(
          `UPDATE pain_reports SET run_id = $2, user_id = $3
            WHERE run_id = $1 AND NOT EXISTS (SELECT 1 FROM pain_reports WHERE run_id = $2)`,
          [run.id, twin, targetId],
        );
      }
      await manager.query(`DELETE FROM runs WHERE id = $1`, [run.id]);
    }
    for (const table of ['runs', 'run_sources', 'pain_reports']) {
      await manager.query(`UPDATE ${table} SET user_id = $2 WHERE user_id = $1`, [sourceId, targetId]);
    }
    return { moved: runs.length - joined, joined };
  }

  private async twinOf(manager: EntityManager, targetId: string, run: SourceRun): Promise<string | undefined> {
    const sameRecord: { run_id: string }[] = await manager.query(
      `SELECT run_id FROM run_sources
        WHERE user_id = $1 AND (source, external_id) IN (SELECT * FROM unnest($2::text[], $3::text[])) LIMIT 1`,
      [targetId, run.sources.map((s) => s.source), run.sources.map((s) => s.external_id)],
    );
    if (sameRecord.length) return sameRecord[0].run_id;
    const windowMs = SAME_OUTING.maxStartDifferenceS * 1000;
    const candidates: (Pick<RunEntity, 'id' | 'startUtc' | 'distanceM'> & { sources: string[] })[] = (
      await manager.query(
        `SELECT r.id, r.start_utc, r.distance_m, array_agg(s.source) AS sources
           FROM runs r JOIN run_sources s ON s.run_id = r.id
          WHERE r.user_id = $1 AND r.start_utc BETWEEN $2 AND $3 GROUP BY r.id`,
        [targetId, new Date(run.start_utc.getTime() - windowMs), new Date(run.start_utc.getTime() + windowMs)],
      )
    ).map((row: { id: string; start_utc: Date; distance_m: number; sources: string[] }) => ({
      id: row.id,
      startUtc: row.start_utc,
      distanceM: row.distance_m,
      sources: row.sources,
    }));
    const kinds = new Set(run.sources.map((s) => s.source));
    return candidates.find(
      (candidate) =>
        !candidate.sources.some((source) => kinds.has(source)) &&
        isSameOuting(candidate, { startUtc: run.start_utc, distanceM: run.distance_m }),
    )?.id;
  }

  /** Tokens are sealed to their owner's id: open them as the source's, seal them as the target's. */
  private async moveStravaConnection(
    manager: EntityManager,
    sourceId: string,
    targetId: string,
  ): Promise<{ id: string; backfilled: boolean }> {
    const connection = (await this.connections.lockOfUser(sourceId, manager))!;
    const reseal = (sealed: string) => this.cipher.encrypt(this.cipher.decrypt(sealed, sourceId), targetId);
    await this.connections.moveToUser(
      connection.id,
      targetId,
      { accessTokenEnc: reseal(connection.accessTokenEnc), refreshTokenEnc: reseal(connection.refreshTokenEnc) },
      manager,
    );
    return { id: connection.id, backfilled: connection.backfilledAt !== null };
  }
}

/** After a merge: the runner is evaluated on the joined history; an unfinished Strava history import starts again for its new owner. */
function followUpEvents({ target, connection }: MergeResult): DomainEvent[] {
  const events: DomainEvent[] = [{ type: 'runs-changed', userId: target.id }];
  if (!connection.backfilled) {
    const after = Math.floor(Date.now() / 1000) - BACKFILL_DAYS * 86_400;
    events.push({ type: 'strava-connection-moved', userId: target.id, connectionId: connection.id, after });
  }
  return events;
}
