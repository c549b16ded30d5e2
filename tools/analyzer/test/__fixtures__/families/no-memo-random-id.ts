// Ids made at random and kept: a device id got from persistent storage or created once, and one id
// per object in a WeakMap. Asked again, the generator gives another answer — the store fixes an
// identity, it does not keep a value worked out from the key.
// expect: none
import { randomUUID } from "node:crypto";
import { v4 as uuidv4 } from "uuid";

export class Identity {
  private readonly ids = new WeakMap<object, string>();

  constructor(private readonly persistence: Map<string, string>) {}

  deviceId(): string {
    const existing = this.persistence.get("device_id");
    if (existing !== undefined) return existing;
    const created = uuidv4();
    this.persistence.set("device_id", created);
    return created;
  }

  idOf(target: object): string {
    let id = this.ids.get(target);
    if (id === undefined) {
      id = `obj-${randomUUID()}`;
      this.ids.set(target, id);
    }
    return id;
  }
}
