import { Injectable } from '@nestjs/common';
import { RunnerAccess, RunnerView, Viewer } from '@deload/auth';
import type { DistanceUnit } from '@deload/domain';
import { ShoesRepository, type VisibleShoe } from '@deload/persistence';
import { LocalCalendar, ROTATION_DAYS } from '@deload/rules';
import { UsersService } from '@deload/users';
import { thresholdsOf } from './runner-thresholds';
import { ShoeRotation, shoeRotation } from './shoe-rotation';
import { shoeStatus, ShoeStatus } from './shoe-status';

/** A shoe on the shoes page and in GET /api/shoes: its figures, state, and share of the last 8 weeks' runs. */
export type ShoeListing = ShoeStatus &
  Pick<VisibleShoe, 'brand' | 'model' | 'startingDistanceM' | 'defaultForSports' | 'locallyEdited'> & {
    /** Runs in this shoe in the last 8 weeks, and their share of the runs with a shoe. */
    recentRuns: number;
    recentShare: number;
  };

export interface RunnerShoesData {
  runner: { id: string; units: DistanceUnit; timezone: string };
  view: RunnerView;
  /** In use first, then retired; by name. */
  shoes: ShoeListing[];
  rotation: ShoeRotation;
  /** The runner's retire distance for shoes without their own (the worn-shoes warning), metres. */
  defaultLimitM: number;
}

/** A runner's shoes as a viewer may see them (a coach: not Strava gear unless shared), with the rotation of the last 8 weeks. */
@Injectable()
export class RunnerShoes {
  constructor(
    private readonly access: RunnerAccess,
    private readonly users: UsersService,
    private readonly shoes: ShoesRepository,
  ) {}

  async forViewer(viewer: Viewer, runnerId: string, now = new Date()): Promise<RunnerShoesData> {
    const view = await this.access.viewOf(viewer, runnerId);
    const runner = await this.users.byId(runnerId);
    const thresholds = thresholdsOf(runner);
    const calendar = new LocalCalendar(runner.timezone);
    const from = new Date(calendar.startOf(calendar.dayOf(now) - ROTATION_DAYS + 1));
    const [shoes, uses] = await Promise.all([
      this.shoes.visibleWithDistance([runnerId], view.includeStravaData ? [runnerId] : []),
      this.shoes.recentUse(runnerId, from, view.includeStravaData),
    ]);
    const shown = new Set(shoes.map((shoe) => shoe.id));
    const rotation = shoeRotation(
      uses.filter((use) => shown.has(use.shoeId)),
      thresholds['worn-shoes'].rotationShare,
    );
    const shareOf = new Map(rotation.shares.map((share) => [share.shoeId, share]));
    return {
      runner: { id: runner.id, units: runner.units, timezone: runner.timezone },
      view,
      shoes: shoes.map(({ userId: _owner, ...shoe }) => ({
        ...shoe,
        ...shoeStatus(shoe, thresholds),
        recentRuns: shareOf.get(shoe.id)?.runs ?? 0,
        recentShare: shareOf.get(shoe.id)?.share ?? 0,
      })),
      rotation,
      defaultLimitM: thresholds['worn-shoes'].warningM,
    };
  }
}
