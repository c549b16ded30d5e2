// A record registered per channel and handed back; its subscriber list is filled after it is
// stored, so nothing was computed on the miss: a registry entry, not a cache.
// expect: none
type Subscriber = (message: string) => void;
interface Channel {
  readonly name: string;
  readonly subscribers: Subscriber[];
}

const channels = new Map<string, Channel>();
export function subscribe(name: string, subscriber: Subscriber): Channel {
  let channel = channels.get(name);
  if (!channel) {
    const subscribers: Subscriber[] = [];
    channel = { name, subscribers };
    channels.set(name, channel);
  }
  channel.subscribers.push(subscriber);
  return channel;
}
