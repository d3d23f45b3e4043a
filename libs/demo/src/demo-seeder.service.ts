import { Injectable } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { MagicLinks } from '@deload/auth';
import { UsersService } from '@deload/users';
import { AppConfig } from '@deload/config';
import { countStatuses, FileImportService } from '@deload/ingest';
import { PainReportsService } from '@deload/pain-reports';
import { RunsRepository, TeamEntity, TeamsRepository, UserEntity } from '@deload/persistence';
import { TeamsService } from '@deload/teams';
import { writeDemoImport } from './demo-files';
import { DEMO_COACH, demoRunners, DemoRunner, DemoStory } from './scenarios';

/** How long the printed sign-in link works: long enough to read the output and open it. */
export const DEMO_LINK_TTL_S = 24 * 3600;

export interface SeededRunner {
  story: DemoStory;
  user: UserEntity;
  imported: number;
  duplicate: number;
  rejected: number;
}

export interface DemoSeed {
  anchorDay: string;
  coach: UserEntity;
  team: TeamEntity;
  runners: SeededRunner[];
  dashboardUrl: string;
  loginUrl: string;
}

/**
 * `deload demo`: a coach, a team and four runners whose runs go in through the real importer
 * (FIT files written with Garmin's encoder, one Strava export folder) and whose pain reports go
 * through the same service as the web form. Everything is found-or-created and the histories end
 * at the coach's creation (the first demo run), so running it again adds nothing.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly users: UsersService,
    private readonly teams: TeamsService,
    private readonly files: FileImportService,
    private readonly pain: PainReportsService,
    private readonly magicLinks: MagicLinks,
    private readonly config: AppConfig,
    private readonly teamRepository: TeamsRepository,
    private readonly runs: RunsRepository,
  ) {}

  async seed(): Promise<DemoSeed> {
    const coach = await this.users.findOrCreate(DEMO_COACH.email, { role: 'coach', displayName: DEMO_COACH.name, timezone: 'Europe/Oslo' });
    const team = await this.teamOf(coach);
    const anchorDay = DateTime.fromJSDate(coach.createdAt, { zone: 'Europe/Oslo' }).toISODate()!;
    const dir = await mkdtemp(join(tmpdir(), 'deload-demo-'));
    try {
      const runners: SeededRunner[] = [];
      for (const runner of demoRunners(coach.createdAt)) runners.push(await this.seedRunner(runner, team, dir));
      const teamPath = `/teams/${team.id}`;
      return {
        anchorDay,
        coach,
        team,
        runners,
        dashboardUrl: this.config.publicUrl(teamPath),
        loginUrl: this.magicLinks.linkFor(coach.email, teamPath, DEMO_LINK_TTL_S),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async teamOf(coach: UserEntity): Promise<TeamEntity> {
    const existing = await this.teamRepository.byCoachAndName(coach.id, DEMO_COACH.team);
    return existing ?? this.teams.create(coach, DEMO_COACH.team);
  }

  private async seedRunner(runner: DemoRunner, team: TeamEntity, dir: string): Promise<SeededRunner> {
    const user = await this.users.findOrCreate(runner.email, { role: 'runner', displayName: runner.name, timezone: runner.timezone });
    await this.teams.answer(user, team.inviteCode, 'accept');
    const results = await this.files.importPaths(user.id, [await writeDemoImport(dir, runner)], 'demo');
    for (const report of runner.pains) {
      const run = runner.runs.find((candidate) => candidate.key === report.runKey)!;
      const storedId = await this.runs.idStartingAt(user.id, run.start);
      if (!storedId) throw new Error(`demo run ${run.key} of ${user.email} was not imported`);
      const { runKey: _runKey, ...observation } = report;
      await this.pain.record(user.id, storedId, { hasPain: true, ...observation }, 'web');
    }
    const counts = countStatuses(results.flatMap((result) => result.entries ?? [result]));
    return { story: runner.story, user, ...counts };
  }
}
