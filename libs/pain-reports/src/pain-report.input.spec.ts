import { parsePainReportInput } from './pain-report.input';

describe('parsePainReportInput', () => {
  it('accepts a full report and drops nulls', () => {
    expect(
      parsePainReportInput({
        hasPain: true,
        location: 'lateral_knee',
        side: 'left',
        onsetM: 4200,
        onsetS: null,
        severity: 4,
        note: ' ITB ',
      }),
    ).toEqual({
      hasPain: true,
      location: 'lateral_knee',
      side: 'left',
      onsetM: 4200,
      severity: 4,
      note: 'ITB',
    });
    expect(parsePainReportInput({ hasPain: false })).toEqual({ hasPain: false });
  });

  it('names every problem in one message', () => {
    expect(() => parsePainReportInput({ location: 'elbow', severity: 11, onsetM: -1, colour: 'red' })).toThrow(
      'invalid pain report: hasPain is required; location must be one of lateral_knee, knee, hip, shin, calf, achilles, foot, other; onsetM must be 0 or more; severity must be at most 10; unknown field colour',
    );
  });

  it('refuses an onset or a severity without pain, and a body that is not an object', () => {
    expect(() => parsePainReportInput({ hasPain: false, onsetM: 3000 })).toThrow('onsetM makes no sense without pain');
    expect(parsePainReportInput({ hasPain: false, severity: 0 })).toEqual({ hasPain: false, severity: 0 });
    expect(() => parsePainReportInput('pain')).toThrow('the body must be a JSON object');
    expect(() => parsePainReportInput({ hasPain: 'yes' })).toThrow('hasPain must be true or false');
  });
});
