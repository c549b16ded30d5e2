// Two dates that came with the data (a booking's start and end) handed to a formatter: no clock
// is read in this file, so no time is being measured.
// expect: none
import { formatDateDifference } from "./dates";

export function describe(booking: { startTime: Date; endTime: Date }): string {
  return `length: ${formatDateDifference(booking.startTime, booking.endTime)}`;
}
