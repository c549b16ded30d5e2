// An hrtime pair made into an ISO timestamp: a point in time formatted, not an elapsed time.
// expect: none
export function hrTimeToTimeStamp(time: [number, number]): string {
  const nanos = String(time[1]).padStart(9, "0");
  const date = new Date(time[0] * 1000).toISOString();
  return date.replace("000Z", `${nanos}Z`);
}
