// Look-alike: `??=` keeping a collaborator picked once (a factory that falls back to the logger
// already held) is lazy initialisation, not a value worked out.
// expect: none
interface Logger {
  log(line: string): void;
}

export class Settings {
  private slowLogger?: Logger;

  constructor(
    private readonly logger: Logger,
    private readonly factory: ((level: string) => Logger) | undefined,
  ) {}

  slowQueries(): Logger {
    this.slowLogger ??= this.factory?.("slow") ?? this.logger;
    return this.slowLogger;
  }
}
