import { Encoder, Profile } from '@garmin/fitsdk';
import { FIT_EPOCH_MS } from './messages';

/** What to write: one running (or other) session at constant pace, sampled every `recordEveryS`. */
export interface FitActivitySpec {
  start: Date;
  distanceM: number;
  durationS: number;
  sport?: string;
  subSport?: string;
  serialNumber?: number;
  utcOffsetS?: number;
  /** Strides per minute (FIT running cadence). */
  cadence?: number;
  heartRate?: number;
  /** Seconds between records. */
  recordEveryS?: number;
  /** Climb over the first half and descent over the second half of the run, metres (default 20 / 20). */
  elevationGainM?: number;
  elevationLossM?: number;
  /** Developer fields named like native ones, to check they never shadow them. */
  shadowingDeveloperFields?: boolean;
}

/** The SDK's message types are exact unions; our specs are plain objects. */
function write(encoder: Encoder, message: Record<string, unknown>): void {
  encoder.writeMesg(message as never);
}

const DEVELOPER_HEART_RATE = { developerDataIndex: 0, fieldDefinitionNumber: 0 };
const DEVELOPER_TOTAL_DISTANCE = { developerDataIndex: 0, fieldDefinitionNumber: 1 };

function developerEncoder(): Encoder {
  const developerDataIdMesg = { mesgNum: Profile.MesgNum.DEVELOPER_DATA_ID, developerDataIndex: 0, applicationVersion: 1 };
  const field = (fieldDefinitionNumber: number, fieldName: string, nativeMesgNum: number) => ({
    developerDataIdMesg,
    fieldDescriptionMesg: {
      mesgNum: Profile.MesgNum.FIELD_DESCRIPTION,
      developerDataIndex: 0,
      fieldDefinitionNumber,
      fitBaseTypeId: 0x86, // uint32
      fieldName,
      units: 'x',
      nativeMesgNum,
    },
  });
  const encoder = new Encoder();
  write(encoder, developerDataIdMesg);
  const heartRate = field(0, 'heart_rate', Profile.MesgNum.RECORD);
  const totalDistance = field(1, 'total_distance', Profile.MesgNum.SESSION);
  write(encoder, heartRate.fieldDescriptionMesg);
  write(encoder, totalDistance.fieldDescriptionMesg);
  encoder.addDeveloperField(0, heartRate.developerDataIdMesg as never, heartRate.fieldDescriptionMesg as never);
  encoder.addDeveloperField(1, totalDistance.developerDataIdMesg as never, totalDistance.fieldDescriptionMesg as never);
  return encoder;
}

/** Altitude at `t` seconds: up `gain` metres over the first half, down `loss` over the second. */
function altitudeAt(t: number, durationS: number, gain: number, loss: number): number {
  const half = durationS / 2;
  return t <= half ? 100 + (gain * t) / half : 100 + gain - (loss * (t - half)) / half;
}

/**
 * A valid FIT activity file written with Garmin's SDK encoder (so it goes through the same decoder
 * as a device's file): file_id, one record per `recordEveryS` at constant pace, a lap, a session
 * and an activity message with the local time. Used by `deload demo` and by tests.
 */
export function encodeFitActivity(spec: FitActivitySpec): Uint8Array {
  const { start, distanceM, durationS, recordEveryS = 1, elevationGainM = 20, elevationLossM = 20 } = spec;
  const encoder = spec.shadowingDeveloperFields ? developerEncoder() : new Encoder();
  const fileId = {
    mesgNum: Profile.MesgNum.FILE_ID,
    type: 'activity',
    manufacturer: 'garmin',
    product: 2697,
    serialNumber: spec.serialNumber ?? 1234567890,
    timeCreated: start,
  };
  write(encoder, fileId);
  const end = new Date(start.getTime() + durationS * 1000);
  for (let t = 0; t <= durationS; t += recordEveryS) {
    write(encoder, {
      mesgNum: Profile.MesgNum.RECORD,
      timestamp: new Date(start.getTime() + t * 1000),
      distance: (distanceM * t) / durationS,
      enhancedAltitude: altitudeAt(t, durationS, elevationGainM, elevationLossM),
      heartRate: spec.heartRate ?? 150,
      cadence: spec.cadence ?? 85,
      ...(spec.shadowingDeveloperFields ? { developerFields: { [DEVELOPER_HEART_RATE.fieldDefinitionNumber]: 9999 } } : {}),
    });
  }
  const totals = {
    timestamp: end,
    startTime: start,
    totalElapsedTime: durationS,
    totalTimerTime: durationS,
    totalDistance: distanceM,
    sport: spec.sport ?? 'running',
    subSport: spec.subSport ?? 'generic',
    avgHeartRate: spec.heartRate ?? 150,
    avgCadence: spec.cadence ?? 85,
    totalAscent: Math.round(elevationGainM),
    totalDescent: Math.round(elevationLossM),
  };
  write(encoder, { mesgNum: Profile.MesgNum.LAP, ...totals });
  write(encoder, {
    mesgNum: Profile.MesgNum.SESSION,
    ...totals,
    ...(spec.shadowingDeveloperFields ? { developerFields: { [DEVELOPER_TOTAL_DISTANCE.fieldDefinitionNumber]: 1 } } : {}),
  });
  const localSeconds = Math.round(end.getTime() / 1000 - FIT_EPOCH_MS / 1000) + (spec.utcOffsetS ?? 0);
  write(encoder, { mesgNum: Profile.MesgNum.ACTIVITY, timestamp: end, localTimestamp: localSeconds, numSessions: 1, type: 'manual' });
  return encoder.close();
}
