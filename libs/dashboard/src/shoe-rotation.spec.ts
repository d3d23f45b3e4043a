import { shoeRotation } from './shoe-rotation';

describe('shoeRotation', () => {
  it('counts the pairs used and each one’s share of the runs, most used first', () => {
    const rotation = shoeRotation(
      [
        { shoeId: 'trail', runs: 3, distanceM: 45_000 },
        { shoeId: 'daily', runs: 9, distanceM: 90_000 },
        { shoeId: 'unused', runs: 0, distanceM: 0 },
      ],
      0.9,
    );
    expect(rotation).toMatchObject({ runs: 12, shoesUsed: 2, concentrated: false });
    expect(rotation.shares.map((share) => [share.shoeId, share.share])).toEqual([
      ['daily', 0.75],
      ['trail', 0.25],
    ]);
  });

  it('calls one pair carrying more than the rotation share of enough runs concentrated, as the worn-shoes rule does', () => {
    const oneAndAHalf = [
      { shoeId: 'daily', runs: 19, distanceM: 190_000 },
      { shoeId: 'race', runs: 1, distanceM: 10_000 },
    ];
    expect(shoeRotation(oneAndAHalf, 0.9).concentrated).toBe(true);
    expect(shoeRotation(oneAndAHalf, 0.96).concentrated).toBe(false);
  });

  it('says nothing of rotation with fewer than 8 runs, or none', () => {
    expect(shoeRotation([{ shoeId: 'daily', runs: 7, distanceM: 70_000 }], 0.9).concentrated).toBe(false);
    expect(shoeRotation([], 0.9)).toEqual({ runs: 0, shoesUsed: 0, shares: [], concentrated: false });
  });
});
