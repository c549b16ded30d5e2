// A registry of named loggers: each name gets one live logger, removed when it closes.
// expect: none
import { EventEmitter } from "node:events";

class Logger extends EventEmitter {
  constructor(readonly name: string) {
    super();
  }
}

export class Loggers {
  readonly #byName = new Map<string, Logger>();

  get(name: string): Logger {
    let logger = this.#byName.get(name);
    if (logger === undefined) {
      logger = new Logger(name);
      logger.once("close", () => this.#byName.delete(name));
      this.#byName.set(name, logger);
    }
    return logger;
  }
}
