// A clock of another package, known by how its readings are used: one kept at the start, another
// taken at the end, both handed to a duration helper; the start mark of a request is handed to
// the method that records its duration.
// expect: monitoring/timer-delta 13-17 elim 2 "hrTimeDuration(startTime, endTime)"
// expect: monitoring/timer-delta 23-23 elim 1 "read for an elapsed time on line 28"
// expect: monitoring/timer-delta 27-29 elim 3 "hrTimeDuration(startTime, hrTime())"
import { hrTime, hrTimeDuration, hrTimeToMilliseconds } from "@example/core";

export class ExportMetrics {
  constructor(private readonly histogram: { record(ms: number): void }) {}

  startExport(): () => void {
    const startTime = hrTime();
    return () => {
      const endTime = hrTime();
      if (endTime[0] < 0) return;
      const duration = hrTimeToMilliseconds(hrTimeDuration(startTime, endTime));
      this.histogram.record(duration);
    };
  }

  handle(request: { on(event: string, listener: () => void): void }): void {
    const startTime = hrTime();
    request.on("end", () => this.close(startTime));
  }

  private close(startTime: [number, number]): void {
    this.histogram.record(hrTimeToMilliseconds(hrTimeDuration(startTime, hrTime())));
  }
}
