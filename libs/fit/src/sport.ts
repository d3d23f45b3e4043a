import { Sport } from '@deload/domain';

const RUNNING_BY_SUB_SPORT: Record<string, Sport> = {
  trail: 'trail_run',
  treadmill: 'treadmill_run',
  indoor_running: 'treadmill_run',
  track: 'track_run',
  virtual_activity: 'virtual_run',
};

const BY_SPORT: Record<string, Sport> = {
  walking: 'walk',
  hiking: 'hike',
  cycling: 'ride',
  e_biking: 'ride',
  swimming: 'swim',
};

/** FIT sport/sub_sport → our normalised sport (only the running kinds count as running load). */
export function normaliseFitSport(sport: string | undefined, subSport: string | undefined): Sport {
  if (sport === 'running') return RUNNING_BY_SUB_SPORT[subSport ?? ''] ?? 'run';
  return BY_SPORT[sport ?? ''] ?? 'other';
}

/** "running/trail", or just "running" when the sub-sport says nothing. */
export function describeFitSport(sport: string | undefined, subSport: string | undefined): string | undefined {
  if (!sport) return undefined;
  return subSport && subSport !== 'generic' ? `${sport}/${subSport}` : sport;
}
