// Keyed by an object: a Map keys it by identity, and so does the cache with `key: (p) => p`.
interface Point {
  x: number;
  y: number;
}
const norms = new Map<Point, number>();

export function norm(p: Point): number {
  const hit = norms.get(p);
  if (hit !== undefined) return hit;
  const value = Math.hypot(p.x, p.y);
  norms.set(p, value);
  return value;
}
