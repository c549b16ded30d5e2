// Module variables set on first use by lazy loading, by a factory and with a value handed in:
// lazy initialisation the convention leaves out, not a value computed and kept.
// expect: none
interface Client {
  close(): void;
}
declare function createClient(url: string): Client;

let parser: unknown;
let client: Client | undefined;
let lastName: string | undefined;

export async function loadParser(): Promise<unknown> {
  if (parser) return parser;
  parser = await import("node:path");
  return parser;
}

export function sharedClient(url: string): Client {
  if (client) return client;
  client = createClient(url);
  return client;
}

export function rememberName(name: string): string {
  if (lastName) return lastName;
  lastName = name;
  return lastName;
}

let blobClient: Client | undefined;

export function getBlobClient(url: string): Client {
  if (!blobClient) {
    const service = { containerClient: (u: string): Client => createClient(u) };
    blobClient = service.containerClient(url);
  }
  return blobClient;
}
