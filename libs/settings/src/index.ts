export { PAIN_CHECKIN_CHOICES, preferencesSchema, shoePatchSchema, type PreferencesPatch, type ShoePatch } from './settings.schema';
export { SettingsModule } from './settings.module';
export { SettingsService } from './settings.service';
export { fieldName, overridesFromForm, THRESHOLD_FIELDS, thresholdForm, type FormThreshold, type ThresholdField } from './threshold-fields';
