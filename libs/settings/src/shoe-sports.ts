import { RUNNING_SPORTS, type Sport } from '@deload/domain';

/** Sports a shoe can be the default for: the sports on foot (the worn-shoes rule counts every activity in a shoe). */
export const SHOE_SPORTS = [...RUNNING_SPORTS, 'walk', 'hike'] as const satisfies readonly Sport[];
export type ShoeSport = (typeof SHOE_SPORTS)[number];

/** How the pages name each sport a shoe can be the default for. */
export const SHOE_SPORT_LABELS: Record<ShoeSport, string> = {
  run: 'Road running',
  trail_run: 'Trail running',
  treadmill_run: 'Treadmill',
  track_run: 'Track',
  virtual_run: 'Virtual running',
  walk: 'Walking',
  hike: 'Hiking',
};
