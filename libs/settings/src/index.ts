export { PAIN_CHECKIN_CHOICES, preferencesSchema, type PreferencesPatch } from './settings.schema';
export { SettingsModule } from './settings.module';
export { SettingsService } from './settings.service';
export { SHOE_SPORT_LABELS, SHOE_SPORTS, type ShoeSport } from './shoe-sports';
export { newShoeSchema, shoePatchSchema, type NewShoeInput, type ShoePatch } from './shoes.schema';
export { shoeFromForm } from './shoe-form';
export { ShoesService } from './shoes.service';
export { fieldName, overridesFromForm, THRESHOLD_FIELDS, thresholdForm, type FormThreshold, type ThresholdField } from './threshold-fields';
