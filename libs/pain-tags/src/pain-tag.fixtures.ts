import type { PainObservation } from '@deload/domain';

/**
 * What runners actually type, and what Deload must read from it. `null`: not a pain report.
 * Distances in metres, times in seconds (1 mi = 1609.344 m, rounded to the metre).
 */
export const PAIN_TAG_FIXTURES: readonly [text: string, expected: PainObservation | null][] = [
  // Pain with an onset distance
  ['pain @ 6.5k', { hasPain: true, onsetM: 6500 }],
  ['Pain at 6,5 km', { hasPain: true, onsetM: 6500 }],
  ['#pain 4km left knee', { hasPain: true, location: 'knee', side: 'left', onsetM: 4000 }],
  ['knee hurt from 3 mi', { hasPain: true, location: 'knee', onsetM: 4828 }],
  ['IT band from km 5', { hasPain: true, location: 'lateral_knee', onsetM: 5000 }],
  ['ITB from 4k', { hasPain: true, location: 'lateral_knee', onsetM: 4000 }],
  ['ITB started hurting around 7 km, walked home', { hasPain: true, location: 'lateral_knee', onsetM: 7000 }],
  [
    'Easy 10k with the club. Left knee started hurting at 6k, walked the last bit.',
    { hasPain: true, location: 'knee', side: 'left', onsetM: 6000 },
  ],
  ['Easy 10k, outer knee twinge after 8.2k (R)', { hasPain: true, location: 'lateral_knee', side: 'right', onsetM: 8200 }],
  ['R knee niggle from mile 4', { hasPain: true, location: 'knee', side: 'right', onsetM: 6437 }],
  ['outside of my knee hurt from 2.5 miles', { hasPain: true, location: 'lateral_knee', onsetM: 4023 }],
  ['iliotibial band pain ~5k, 4/10', { hasPain: true, location: 'lateral_knee', onsetM: 5000, severity: 4 }],
  ['Hip pain @800m', { hasPain: true, location: 'hip', onsetM: 800 }],
  ['no pain until 8k, then the ITB kicked in', { hasPain: true, location: 'lateral_knee', onsetM: 8000 }],
  ['Pain-free for the first 5k, left ITB after that', { hasPain: true, location: 'lateral_knee', side: 'left', onsetM: 5000 }],
  ['No knee pain. Right hip sore from 12 km though', { hasPain: true, location: 'hip', side: 'right', onsetM: 12000 }],
  ['shin splints flared up at 3km', { hasPain: true, location: 'shin', onsetM: 3000 }],
  ['#ITB 5.5k sev 6', { hasPain: true, location: 'lateral_knee', onsetM: 5500, severity: 6 }],
  ['left knee (outside) hurting from 7k, moderate', { hasPain: true, location: 'lateral_knee', side: 'left', onsetM: 7000, severity: 5 }],
  ['Tempo 3x2k @ 4:05/km. ITB pain @ 6k', { hasPain: true, location: 'lateral_knee', onsetM: 6000 }],
  ['Both knees ached from 10 km', { hasPain: true, location: 'knee', side: 'both', onsetM: 10000 }],
  ['Knee felt fine until 5k then hurt', { hasPain: true, location: 'knee', onsetM: 5000 }],
  ['knee @ 5k', { hasPain: true, location: 'knee', onsetM: 5000 }],
  ['ITB @ mile 2', { hasPain: true, location: 'lateral_knee', onsetM: 3219 }],
  ['5k parkrun, knee pain at 3k', { hasPain: true, location: 'knee', onsetM: 3000 }],
  // Pain with an onset time
  ['ITB 35min', { hasPain: true, location: 'lateral_knee', onsetS: 2100 }],
  ['Achilles niggle @ 40 min', { hasPain: true, location: 'achilles', onsetS: 2400 }],
  ["knee started to hurt about 25' in", { hasPain: true, location: 'knee', onsetS: 1500 }],
  ['IT band from 1h10', { hasPain: true, location: 'lateral_knee', onsetS: 4200 }],
  ['ITB 35m', { hasPain: true, location: 'lateral_knee', onsetS: 2100 }],
  ['calf pain after 20 minutes, mild', { hasPain: true, location: 'calf', onsetS: 1200, severity: 2 }],
  ['Pain at 5k (about 27 min)', { hasPain: true, onsetM: 5000, onsetS: 1620 }],
  // Pain without an onset
  ['left ITB painful again', { hasPain: true, location: 'lateral_knee', side: 'left' }],
  ['foot hurts, 7/10', { hasPain: true, location: 'foot', severity: 7 }],
  ['sore calves all run', { hasPain: true, location: 'calf' }],
  ['Plantar fasciitis is back :(  really hurts', { hasPain: true, location: 'foot' }],
  // No pain
  ['no pain', { hasPain: false }],
  ['No pain today!', { hasPain: false }],
  ['#nopain', { hasPain: false }],
  ['knee pain free', { hasPain: false, location: 'knee' }],
  ['ITB felt fine', { hasPain: false, location: 'lateral_knee' }],
  ['Long run, 28k, zero knee pain', { hasPain: false, location: 'knee' }],
  ['Nothing hurt, legs fresh', { hasPain: false }],
  ['recovery run 5 km, itb ok', { hasPain: false, location: 'lateral_knee' }],
  // Not a pain report at all
  ['no pain no gain', null],
  ['No pain, no gain! 12k tempo', null],
  ['pain au chocolat at the 10k mark', null],
  ['5k PR', null],
  ['Morning Run', null],
  ['Tempo 6x800m @ 3:20, felt strong', null],
  ['10k race, PB 42:10 🎉', null],
  ['Went to the pain cave at 8k', null],
  ['legs sore after yesterday', null],
  ['That headwind was painful', null],
  ['', null],
];
