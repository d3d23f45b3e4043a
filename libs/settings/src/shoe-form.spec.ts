import { newShoeSchema, shoePatchSchema } from './shoes.schema';
import { shoeFromForm } from './shoe-form';

describe('the shoe form and its defaults', () => {
  it('a new shoe needs only a name: no distance on it yet, the runner’s retire threshold, default of no sport', () => {
    expect(newShoeSchema.parse({ name: '  Pegasus 41 ' })).toEqual({
      name: 'Pegasus 41',
      brand: null,
      model: null,
      startingDistanceM: 0,
      retireThresholdM: null,
      defaultFor: [],
    });
  });

  it('reads the form in the runner’s unit: empty fields are the defaults, ticked sports the defaults of the shoe', () => {
    const input = shoeFromForm(
      { name: 'Speedgoat', brand: 'Hoka', model: '', startingAt: '120,5', retireAt: '', defaultFor: 'trail_run' },
      'km',
    );
    expect(newShoeSchema.parse(input)).toEqual({
      name: 'Speedgoat',
      brand: 'Hoka',
      model: null,
      startingDistanceM: 120_500,
      retireThresholdM: null,
      defaultFor: ['trail_run'],
    });
    const miles = shoeFromForm({ name: 'Daily', startingAt: '', retireAt: '400', defaultFor: ['run', 'treadmill_run'] }, 'mi');
    expect(shoePatchSchema.parse(miles)).toMatchObject({ startingDistanceM: 0, defaultFor: ['run', 'treadmill_run'] });
    expect(shoePatchSchema.parse(miles).retireThresholdM).toBeCloseTo(643_737.6, 1);
  });

  it('refuses what is not a shoe, naming the field', () => {
    const problems = (input: unknown) =>
      shoePatchSchema.safeParse(input).error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems(shoeFromForm({ name: '', startingAt: 'lots', retireAt: '-3', defaultFor: 'swim' }, 'km'))).toEqual([
      'name: must not be empty',
      'startingDistanceM: must be a number of metres',
      'retireThresholdM: must be more than 0',
      'defaultFor.0: must be among run, trail_run, treadmill_run, track_run, virtual_run, walk, hike',
    ]);
    expect(problems({ colour: 'red' })).toEqual([': Unrecognized key: "colour"']);
  });
});
