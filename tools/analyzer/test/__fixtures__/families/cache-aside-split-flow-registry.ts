// A registry of live objects split over two methods: `channelFor` returns a found channel early
// and on a miss checks the topic and hands over to `#open`, the store's own get-or-create, which
// makes a live channel per key (a factory's product, listed by `channels()`, written to afterwards);
// `reopen` puts a closed channel back under its key. Keyed-store's registry guard keeps `#open`
// silent, and the flow split over the same store is that registry's lookup and re-registration.
// expect: none
export interface Channel {
  readonly topic: string;
  closed: boolean;
  sent: number;
}

export class Channels {
  readonly #byTopic = new Map<string, Channel>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  channelFor(parts: readonly string[]): Channel {
    const key = parts.join("/");
    const found = this.#byTopic.get(key);
    if (found !== undefined) {
      if (found.closed) throw new Error(`channel ${key} is closed: reopen it first`);
      return found;
    }
    if (parts.some((part) => part === "")) throw new Error(`empty part in topic ${key}: drop it`);
    return this.#open(key);
  }

  reopen(channel: Channel): void {
    channel.closed = false;
    const key = channel.topic;
    if (!this.#byTopic.has(key) && this.#byTopic.size < this.#limit)
      this.#byTopic.set(key, channel);
  }

  *channels(): IterableIterator<Channel> {
    yield* this.#byTopic.values();
  }

  #open(key: string): Channel {
    const found = this.#byTopic.get(key);
    if (found !== undefined) return found;
    const channel = this.createChannel();
    this.#byTopic.set(key, channel);
    return channel;
  }

  protected createChannel(): Channel {
    return { topic: "", closed: false, sent: 0 };
  }
}
