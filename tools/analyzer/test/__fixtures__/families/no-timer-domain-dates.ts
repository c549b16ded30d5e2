// Clock reads that are the program's time, not a measurement: an age shown as text, a date
// computed for the data, a clock anchored on another, an offset into a recording put in a link.
// expect: none
export interface Note {
  createdAt: string;
}

export function label(note: Note): string {
  const diff = Date.now() - new Date(note.createdAt).getTime();
  const minutes = Math.floor(diff / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} minutes ago`;
  return `${Math.floor(minutes / 60)} hours ago`;
}

export function sentLabel(sentAt: number): string {
  const text = `${Math.round((Date.now() - sentAt) / 1000)}s ago`;
  return text;
}

export function staleBefore(lockLifetime: number): Date {
  return new Date(Date.now() - lockLifetime);
}

export class WallClock {
  private readonly epochStart: number;
  private readonly monoStart: number;

  constructor() {
    this.epochStart = Date.now();
    this.monoStart = performance.now();
  }

  now(): number {
    const delta = performance.now() - this.monoStart;
    return this.epochStart + delta;
  }
}

export class Recording {
  private startedAt = 0;

  begin(): void {
    this.startedAt = Date.now();
  }

  link(base: string, id: string): string {
    const offset = Math.max(Math.floor((Date.now() - this.startedAt) / 1000) - 10, 0);
    return `${base}/replay/${id}?t=${offset}`;
  }
}
