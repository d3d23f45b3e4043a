import { DEFAULT_THRESHOLDS, parseThresholds } from '@deload/rules';
import { mostWornShoe, ShoeDistance, shoeStatus } from './shoe-status';

const shoe = (km: number, overrides: Partial<ShoeDistance> = {}): ShoeDistance => ({
  id: `s${km}`,
  name: `Shoe ${km}`,
  source: 'manual',
  distanceM: km * 1000,
  retireThresholdM: null,
  retired: false,
  ...overrides,
});

describe('shoe status', () => {
  it('uses the runner’s thresholds: ageing from 500 km, worn from 800 km by default', () => {
    expect(shoeStatus(shoe(420), DEFAULT_THRESHOLDS)).toMatchObject({ state: 'ok', limitM: 800_000, noticeM: 500_000 });
    expect(shoeStatus(shoe(520), DEFAULT_THRESHOLDS).state).toBe('ageing');
    expect(shoeStatus(shoe(812), DEFAULT_THRESHOLDS)).toMatchObject({ state: 'worn', share: 812 / 800 });
  });

  it('prefers the shoe’s own retire distance, and never mentions it later than that', () => {
    expect(shoeStatus(shoe(450, { retireThresholdM: 400_000 }), DEFAULT_THRESHOLDS)).toMatchObject({
      state: 'worn',
      limitM: 400_000,
      noticeM: 400_000,
    });
    const custom = parseThresholds({ 'worn-shoes': { infoM: 300_000, warningM: 600_000 } });
    expect(shoeStatus(shoe(350), custom).state).toBe('ageing');
  });

  it('picks the pair in use closest to its limit', () => {
    const shoes = [shoe(300), shoe(900, { retired: true }), shoe(700, { retireThresholdM: 705_000 }), shoe(790)];
    expect(mostWornShoe(shoes, DEFAULT_THRESHOLDS)?.id).toBe('s700');
    expect(mostWornShoe([shoe(900, { retired: true })], DEFAULT_THRESHOLDS)).toBeNull();
  });
});
