import { runCli } from '../program';

/** Runs the CLI in process with stderr and stdout captured (usage errors never reach the database). */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const capture = (chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  };
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  try {
    return { code: await runCli(args), out };
  } finally {
    stderr.mockRestore();
    stdout.mockRestore();
  }
}

describe('deload import options', () => {
  it.each(['furlongs', 'KM', ''])('refuses --units %p with a usage error (exit 2) naming the choices', async (unit) => {
    const { code, out } = await cli(['import', 'Activities.csv', '--user', 'a@example.test', '--units', unit]);
    expect(code).toBe(2);
    expect(out).toContain(`error: option '--units <unit>' argument '${unit}' is invalid. Allowed choices are km, mi.`);
  });

  it('documents --units and the sources it reads in --help', async () => {
    const { code, out } = await cli(['import', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/--units <unit>\s+the distance unit of a Garmin Connect activities CSV/);
    expect(out).toContain('(choices: "km", "mi")');
    const words = out.replace(/\s+/g, ' ');
    expect(words).toContain('Strava, Garmin Connect (full export or activities CSV), Apple Health or Polar Flow');
    expect(words).toContain('a bar with counts and ETA on a terminal, a line every 100 activities otherwise');
  });
});
