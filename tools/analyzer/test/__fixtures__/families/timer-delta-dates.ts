// A helper that formats the time between two dates handed in: the helper exists only to time.
// expect: monitoring/timer-delta 3-5 elim 3 "endDate.getTime() - startDate.getTime()"
export function formatDateDifference(startDate: Date, endDate: Date): string {
  return ((endDate.getTime() - startDate.getTime()) / 1000).toFixed(3) + "s";
}
