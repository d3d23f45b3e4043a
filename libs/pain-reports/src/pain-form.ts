import { type DistanceUnit, fromUnit, invalid, type PainLocation, toUnit } from '@deload/domain';
import { formatDistance, formatDuration } from '@deload/rules';

/** The location choices of the form, in the words runners use. */
export const PAIN_LOCATION_CHOICES: readonly { value: PainLocation; label: string }[] = [
  { value: 'lateral_knee', label: 'Outside of the knee (IT band)' },
  { value: 'knee', label: 'Knee, elsewhere' },
  { value: 'hip', label: 'Hip or glute' },
  { value: 'shin', label: 'Shin' },
  { value: 'calf', label: 'Calf' },
  { value: 'achilles', label: 'Achilles' },
  { value: 'foot', label: 'Foot or heel' },
  { value: 'other', label: 'Somewhere else, or not sure' },
];

/** A stored report (PainReportEntity) or an observation: what the form is filled with. */
export interface ReportShown {
  hasPain: boolean;
  location?: string | null;
  side?: string | null;
  onsetM?: number | null;
  onsetS?: number | null;
  severity?: number | null;
  note?: string | null;
}

/** The pain form as the browser posts it (partials/pain-form.eta): distances in the runner's units, time in minutes. */
export interface PainFormFields {
  hasPain?: string;
  location?: string;
  side?: string;
  onset?: string;
  onsetMin?: string;
  severity?: string;
  note?: string;
}

/** What the form shows: the stored report in the runner's units. */
export interface PainFormValues {
  hasPain: 'yes' | 'no' | '';
  location: string;
  side: string;
  onset: string;
  onsetMin: string;
  severity: string;
  note: string;
}

function numberField(value: string | undefined, what: string): number | undefined {
  const text = value?.trim().replace(',', '.');
  if (!text) return undefined;
  const number = Number(text);
  if (!Number.isFinite(number)) throw invalid(`${what} must be a number, e.g. 4.5`);
  return number;
}

/** Converts the posted form into a report for PainReportsService (which validates it further). */
export function painFormToInput(fields: PainFormFields, units: DistanceUnit): Record<string, unknown> {
  if (fields.hasPain !== 'yes' && fields.hasPain !== 'no') throw invalid('choose whether anything hurt');
  const hasPain = fields.hasPain === 'yes';
  const onset = numberField(fields.onset, `the distance (${units})`);
  const onsetMin = numberField(fields.onsetMin, 'the time (minutes)');
  const severity = numberField(fields.severity, 'how much it hurt');
  return {
    hasPain,
    location: fields.location || undefined,
    side: fields.side || undefined,
    ...(hasPain && onset !== undefined ? { onsetM: Math.round(fromUnit(onset, units)) } : {}),
    ...(hasPain && onsetMin !== undefined ? { onsetS: Math.round(onsetMin * 60) } : {}),
    ...(hasPain && severity !== undefined ? { severity } : {}),
    note: fields.note?.trim() || undefined,
  };
}

export function painFormValues(report: ReportShown | null, units: DistanceUnit): PainFormValues {
  return {
    hasPain: report ? (report.hasPain ? 'yes' : 'no') : '',
    location: report?.location ?? '',
    side: report?.side ?? '',
    onset: report?.onsetM != null ? String(toUnit(report.onsetM, units, 1)) : '',
    onsetMin: report?.onsetS != null ? String(Math.round(report.onsetS / 60)) : '',
    severity: report?.severity != null ? String(report.severity) : '',
    note: report?.note ?? '',
  };
}

export interface PainFormView {
  values: PainFormValues;
  locations: typeof PAIN_LOCATION_CHOICES;
  units: DistanceUnit;
}

/** Everything partials/pain-form.eta needs besides where it posts: a stored report, or what was typed (shown again with an error). */
export function painFormView(shown: ReportShown | PainFormFields | null, units: DistanceUnit): PainFormView {
  const values =
    shown && typeof shown.hasPain === 'string' ? typedValues(shown as PainFormFields) : painFormValues(shown as ReportShown | null, units);
  return { values, locations: PAIN_LOCATION_CHOICES, units };
}

function typedValues(fields: PainFormFields): PainFormValues {
  return {
    hasPain: fields.hasPain === 'yes' || fields.hasPain === 'no' ? fields.hasPain : '',
    location: fields.location ?? '',
    side: fields.side ?? '',
    onset: fields.onset ?? '',
    onsetMin: fields.onsetMin ?? '',
    severity: fields.severity ?? '',
    note: fields.note ?? '',
  };
}

/** "Outer knee (IT band), left, from about 5 km, 4/10." or "No pain on this run." */
export function describeReport(report: ReportShown, units: DistanceUnit): string {
  if (!report.hasPain) return 'No pain on this run.';
  const where = PAIN_LOCATION_CHOICES.find((choice) => choice.value === report.location)?.label ?? 'Pain';
  const parts = [report.location && report.location !== 'other' ? `Pain: ${where.toLowerCase()}` : 'Pain'];
  if (report.side) parts.push(report.side === 'both' ? 'both sides' : report.side);
  if (report.onsetM != null) parts.push(`from about ${formatDistance(report.onsetM, units)}`);
  else if (report.onsetS != null) parts.push(`from about ${formatDuration(report.onsetS)}`);
  if (report.severity != null) parts.push(`${report.severity}/10`);
  return `${parts.join(', ')}.`;
}
