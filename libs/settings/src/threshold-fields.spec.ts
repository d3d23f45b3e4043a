import { DEFAULT_THRESHOLDS, parseThresholds } from '@deload/rules';
import { overridesFromForm, thresholdForm } from './threshold-fields';

/** The form as the page fills it with the defaults (every rule on). */
function defaultForm(units: 'km' | 'mi' = 'km'): Record<string, string> {
  const { fields, enabled } = thresholdForm(DEFAULT_THRESHOLDS, units);
  const form: Record<string, string> = Object.fromEntries(fields.map((field) => [field.name, String(field.value)]));
  for (const [rule, on] of Object.entries(enabled)) if (on) form[`${rule}.enabled`] = 'true';
  return form;
}

describe('threshold form', () => {
  it('shows stored thresholds in the runner’s words and units', () => {
    const { fields } = thresholdForm(parseThresholds({ 'weekly-increase': { caution: 1.4 } }), 'mi');
    const byName = Object.fromEntries(fields.map((field) => [field.name, field]));
    expect(byName['weekly-increase.caution']).toMatchObject({ value: 40, defaultValue: 30 });
    expect(byName['worn-shoes.warningM'].value).toBeCloseTo(497.1, 1);
    expect(byName['pain-earlier.highOnsetS'].value).toBe(15);
    expect(byName['cadence-drop.caution'].value).toBe(5);
  });

  it('stores nothing when the runner keeps the defaults, in either unit', () => {
    expect(overridesFromForm(defaultForm('km'), 'km')).toEqual({});
    expect(overridesFromForm(defaultForm('mi'), 'mi')).toEqual({});
  });

  it('stores only what changed, in stored units, and turns rules off', () => {
    const form: Record<string, string> = {
      ...defaultForm('mi'),
      'weekly-increase.caution': '40',
      'worn-shoes.warningM': '400',
      cooldownDays: '10',
    };
    delete form['monotony.enabled'];
    const overrides = overridesFromForm(form, 'mi');
    expect(overrides).toEqual({
      'weekly-increase': { caution: 1.4 },
      'worn-shoes': { warningM: 400 * 1609.344 },
      cooldownDays: 10,
      monotony: { enabled: false },
    });
    expect(parseThresholds(overrides)['worn-shoes'].warningM).toBeCloseTo(643_737.6, 1);
  });

  it('keeps a stored value exactly when its rounded form value comes back unchanged', () => {
    const current = parseThresholds({ 'worn-shoes': { warningM: 640_000 } });
    const { fields } = thresholdForm(current, 'mi');
    const form = {
      ...defaultForm('mi'),
      'worn-shoes.warningM': String(fields.find((field) => field.name === 'worn-shoes.warningM')!.value),
    };
    expect(form['worn-shoes.warningM']).toBe('397.7');
    expect(overridesFromForm(form, 'mi', current)).toEqual({ 'worn-shoes': { warningM: 640_000 } });
  });

  it('accepts a decimal comma', () => {
    expect(overridesFromForm({ ...defaultForm(), 'downhill-spike.caution': '1,8' }, 'km')).toEqual({ 'downhill-spike': { caution: 1.8 } });
  });

  it('explains a bad value in the form’s words', () => {
    expect(() => overridesFromForm({ ...defaultForm(), 'weekly-increase.caution': 'lots' }, 'km')).toThrow(
      '“Caution when the last 7 days are this much above the 4 weeks before” must be a number (got "lots")',
    );
    expect(() => overridesFromForm({ ...defaultForm(), 'cadence-drop.caution': '0' }, 'km')).toThrow(
      '“Caution when cadence drops by” must be more than 0',
    );
    expect(() => overridesFromForm({ ...defaultForm(), 'cadence-drop.caution': '100' }, 'km')).toThrow('must be less than 100 %');
  });

  it('names both fields when one must be above the other', () => {
    const form = { ...defaultForm(), 'single-run-spike.caution': '50', 'single-run-spike.high': '40' };
    expect(() => overridesFromForm(form, 'km')).toThrow(
      '“High when it is this much longer” must be greater than “Caution when a run is this much longer than the longest of the 30 days before”',
    );
  });
});
