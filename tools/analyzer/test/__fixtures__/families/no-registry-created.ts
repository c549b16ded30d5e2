// A connection registry: a live client made per host (in a Map that is walked to close them all),
// handed out while it is open. The entry is checked for its state, not against the caller's
// inputs: a registry, not a cache.
// expect: none
interface Client {
  readonly state: "open" | "closed";
  send(data: string): void;
  close(): void;
}
declare function createClient(host: string): Client;

const clients = new Map<string, Client>();
export function clientFor(host: string): Client {
  const client = clients.get(host);
  if (client && client.state === "open") {
    return client;
  }
  const made = createClient(host);
  clients.set(host, made);
  return made;
}

export function closeAll(): void {
  for (const client of clients.values()) client.close();
  clients.clear();
}
