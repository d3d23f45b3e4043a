import { z } from 'zod';
import { ALERT_EMAIL_LEVELS } from '@deload/domain';
import { LocalCalendar } from '@deload/rules';

export const PAIN_CHECKIN_CHOICES = ['auto', 'on', 'off'] as const;

/** Preferences a runner changes (JSON API: any subset; the form sends them all). */
export const preferencesSchema = z
  .strictObject({
    displayName: z
      .string()
      .trim()
      .max(80, 'can be at most 80 characters')
      .transform((value) => value || null)
      .nullable(),
    units: z.enum(['km', 'mi'], { error: 'must be km or mi' }),
    timezone: z.string().refine((zone) => LocalCalendar.isValidZone(zone), { error: 'must be an IANA time zone such as Europe/Oslo' }),
    /** Alert emails: all (as they happen), strongest (pain coming earlier and high only), none (weekly summary only). */
    alertEmails: z.enum(ALERT_EMAIL_LEVELS, { error: `must be one of ${ALERT_EMAIL_LEVELS.join(', ')}` }),
    emailWeeklySummary: z.boolean({ error: 'must be true or false' }),
    painCheckin: z.enum(PAIN_CHECKIN_CHOICES, { error: 'must be auto, on or off' }),
    /** Overrides of rule thresholds in stored units (metres, ratios), validated by libs/rules. */
    ruleThresholds: z.record(z.string(), z.unknown()),
  })
  .partial();

export type PreferencesPatch = z.output<typeof preferencesSchema>;
