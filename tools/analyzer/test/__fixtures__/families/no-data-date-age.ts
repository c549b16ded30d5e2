// The age of a resource from a date its headers carry: a time the program was given, not a
// start mark it took.
// expect: none
export function heuristicFreshness(headers: Record<string, string>): number | undefined {
  const now = Date.now();
  const lastModified = new Date(headers["last-modified"] ?? "");
  if (Number.isNaN(lastModified.getTime()) || lastModified.getTime() >= now) return undefined;
  const responseAge = now - lastModified.getTime();
  return responseAge * 0.1;
}

export function ageOf(header: string): number {
  const lastSeen = Date.parse(header);
  return Date.now() - lastSeen;
}
