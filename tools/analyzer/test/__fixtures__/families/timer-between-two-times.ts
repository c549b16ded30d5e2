// A call's start and its child's start are kept as dates; a helper of another module formats
// the time between them for a diagnostic.
// expect: monitoring/timer-delta 10-15 elim 2 "formatDateDifference"
import { formatDateDifference } from "./deadline";

export class Call {
  private startTime: Date;
  private childStartTime: Date | null = null;
  constructor() {
    this.startTime = new Date();
  }
  info(): string[] {
    const out: string[] = [];
    if (this.childStartTime !== null)
      out.push(`pick: ${formatDateDifference(this.startTime, this.childStartTime)}`);
    return out;
  }
  picked(): void {
    this.childStartTime = new Date();
  }
}
