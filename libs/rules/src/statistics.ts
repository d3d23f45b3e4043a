export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

export function mean(values: readonly number[]): number {
  return values.length ? sum(values) / values.length : NaN;
}

/** Population standard deviation (Foster's monotony uses the seven days themselves, not a sample). */
export function populationSd(values: readonly number[]): number {
  const average = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return Math.sqrt(squares / values.length);
}

let scratch = new Float64Array(64);

export function median(values: readonly number[]): number {
  const count = values.length;
  if (!count) return NaN;
  if (count > 64) return middleOf(Float64Array.from(values).sort());
  // The replay takes medians of small lists ~10⁵ times: insertion-sort into a reused buffer.
  if (scratch.length < count) scratch = new Float64Array(count * 2);
  for (let index = 0; index < count; index++) {
    const value = values[index];
    let slot = index;
    while (slot > 0 && scratch[slot - 1] > value) {
      scratch[slot] = scratch[slot - 1];
      slot--;
    }
    scratch[slot] = value;
  }
  return middleOf(scratch.subarray(0, count));
}

function middleOf(sorted: Float64Array): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
