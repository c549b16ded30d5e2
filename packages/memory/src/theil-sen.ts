/**
 * The Theil–Sen estimator: the median of the slopes between every pair of points. Robust to up to
 * ~29 % outliers (a GC that happened to run mid-burst), unlike least squares.
 * @param xs - x values (e.g. seconds)
 * @param ys - y values (e.g. heap floor bytes)
 * @returns the slope, or 0 with fewer than two distinct x values
 */
export function theilSenSlope(xs: readonly number[], ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx !== 0) slopes.push(((ys[j] as number) - (ys[i] as number)) / dx);
    }
  }
  if (slopes.length === 0) return 0;
  slopes.sort((a, b) => a - b);
  const mid = slopes.length >> 1;
  return slopes.length % 2 === 1
    ? (slopes[mid] as number)
    : ((slopes[mid - 1] as number) + (slopes[mid] as number)) / 2;
}
