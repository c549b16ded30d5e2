// An instance id made at random on first use and handed out afterwards: keeping it fixes an
// identity (a second call must not make a new one); there is nothing derived to recompute.
// expect: none
import { randomUUID } from "node:crypto";

export class InstanceIdDetector {
  private instanceId: string | undefined;

  detect(): { id: string } {
    if (!this.instanceId) {
      this.instanceId = randomUUID();
    }
    return { id: this.instanceId };
  }
}

export class Session {
  private token: string | undefined;

  id(): string {
    if (this.token === undefined) {
      const raw = Math.random().toString(36).slice(2);
      this.token = `s-${raw}`;
    }
    return this.token;
  }
}

const references = new Map<symbol, Fragment>();

export class Fragment {
  #key: symbol | undefined;

  constructor(private readonly sql: string) {}

  get key(): symbol {
    if (!this.#key) {
      this.#key = Symbol(this.sql);
      references.set(this.#key, this);
    }
    return this.#key;
  }
}
