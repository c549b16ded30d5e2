// How should one process tell the others to drop their memory copies: pub/sub (what RedisTier
// does: one message per operation) or Redis client-side caching with server-assisted invalidation
// (CLIENT TRACKING: the server pushes the keys that changed, RESP3)? Measured on one redis-server
// this script starts, with 3 receiving processes (forked) and one sender, in three modes:
//
// - pubsub:   the sender's script deletes the keys and PUBLISHes one message; receivers SUBSCRIBE.
// - tracking: default tracking mode (what @redis/client's `clientSideCache` and `emitInvalidate`
//             turn on): each receiver has read the keys, and the server pushes an invalidation of
//             each key it read when the sender's script deletes them.
// - bcast:    broadcasting mode (`CLIENT TRACKING ON BCAST PREFIX <ns>:`, sent by hand: the client
//             has no option for it): every change of a key under the prefix is pushed to every
//             receiver, read or not.
//
// Per mode and batch size (1 key, 100 keys — an invalidateTag of 100 entries): the delay from the
// sender's call to each receiver having the whole batch, p50/p99; the server's output bytes and CPU
// per operation (INFO deltas around the invalidations only); and what a receiver learns of an
// invalidation made while its connection was down.
//
// Run: cd packages/cache-redis && node --import tsx bench/invalidation-transport.ts [rounds]
// (needs redis-server). Prints a JSON summary last.
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createClient } from "@redis/client";
import { RedisServer } from "../test/redis-server.ts";

type Mode = "pubsub" | "tracking" | "bcast";
const MODES: readonly Mode[] = ["pubsub", "tracking", "bcast"];
const NS = "inv";
const CHANNEL = `${NS}:events`;
const RECEIVERS = 3;

const now = (): number => performance.timeOrigin + performance.now();
const keyOf = (round: number, i: number): string => `${NS}:{c}:d:r${round}:${i}`;
/** A message the size of RedisTier's (origin id, cache, kind, tag), plus the round for the receivers. */
const message = (round: number): string =>
  JSON.stringify([round, 1, "5f0c1a52-9d1e-4a8e-b1c4-7e2d3f6a9b10", "c", "tag", "team:42"]);

/** Parent → receiver. */
type Command =
  | { readonly cmd: "arm"; readonly round: number; readonly keys: number; readonly read: boolean }
  | { readonly cmd: "drop" }
  | { readonly cmd: "exit" };
/** Receiver → parent. */
type Report =
  | { readonly ev: "ready" }
  | { readonly ev: "armed" }
  | { readonly ev: "got"; readonly round: number; readonly at: number }
  | { readonly ev: "dropping" }
  | { readonly ev: "dropped"; readonly heard: number };

// ---------------------------------------------------------------- receiver (a forked process)

async function receiver(mode: Mode, url: string): Promise<void> {
  const send = (report: Report): void => void process.send?.(report);
  const name = `receiver-${process.pid}`;
  const client = createClient(
    mode === "pubsub" ? { url, name } : { url, name, RESP: 3, emitInvalidate: true },
  );
  client.on("error", () => undefined);
  let round = -1;
  let waiting = 0;
  let heard = 0; // invalidations that arrived after the connection was dropped
  const arrived = (count: number, which: (n: number) => boolean): void => {
    heard += count;
    if (round < 0 || !which(round)) return;
    waiting -= count;
    if (waiting <= 0) {
      send({ ev: "got", round, at: now() });
      round = -1;
    }
  };
  const roundOfKey = (key: string): number => Number(/:d:r(\d+):/.exec(key)?.[1] ?? -1);
  if (mode === "pubsub") {
    await client.connect();
    await client.subscribe(CHANNEL, (message) => {
      const [r, count] = JSON.parse(message) as [number, number, ...string[]];
      arrived(count, (n) => n === r);
    });
  } else {
    client.on("invalidate", (key: Buffer | string | null) => {
      if (key === null) return arrived(0, () => false); // a flush: not used here
      const r = roundOfKey(key.toString());
      arrived(1, (n) => n === r);
    });
    await client.connect();
    if (mode === "bcast") {
      await client.sendCommand(["CLIENT", "TRACKING", "OFF"]);
      await client.sendCommand(["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", `${NS}:`]);
    }
  }
  // A plain connection for the reads of "tracking" would not be tracked: reads go on `client`.
  process.on("message", (command: Command) => {
    void (async () => {
      switch (command.cmd) {
        case "arm": {
          if (command.read && mode === "tracking") {
            for (let i = 0; i < command.keys; i++) await client.get(keyOf(command.round, i));
          }
          // Pushes caused by the sender's SETs were written before this PING's reply: once it is
          // back they have been handled, so only the deletions count toward the round.
          if (mode !== "pubsub") await client.ping();
          round = command.round;
          waiting = command.keys === 0 ? 1 : mode === "pubsub" ? 1 : command.keys;
          heard = 0;
          send({ ev: "armed" });
          return;
        }
        case "drop": {
          // The parent stops this process (SIGSTOP), kills its connection, invalidates, and lets
          // it go on: report what arrives once the client has reconnected (at once: the client's
          // first reconnect attempt has no delay).
          heard = 0;
          round = -1;
          const ready = new Promise<void>((resolve) => client.once("ready", () => resolve()));
          send({ ev: "dropping" });
          await ready;
          if (mode === "bcast") {
            // The client turns tracking back on in default mode only: BCAST is ours to redo.
            await client.sendCommand(["CLIENT", "TRACKING", "OFF"]);
            await client.sendCommand(["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", `${NS}:`]);
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
          send({ ev: "dropped", heard });
          return;
        }
        case "exit":
          await client.close().catch(() => undefined);
          process.exit(0);
      }
    })();
  });
  send({ ev: "ready" });
}

// ---------------------------------------------------------------- parent

class Receiver {
  readonly #child: ChildProcess;
  readonly #queue: Report[] = [];
  #wake: (() => void) | undefined;
  constructor(mode: Mode, url: string) {
    this.#child = fork(fileURLToPath(import.meta.url), ["receiver", mode, url], {
      execArgv: process.execArgv,
    });
    this.#child.on("message", (report: Report) => {
      this.#queue.push(report);
      this.#wake?.();
    });
  }
  get pid(): number {
    return this.#child.pid as number;
  }
  send(command: Command): void {
    this.#child.send(command);
  }
  signal(signal: "SIGSTOP" | "SIGCONT"): void {
    this.#child.kill(signal);
  }
  async next<E extends Report["ev"]>(ev: E): Promise<Extract<Report, { ev: E }>> {
    for (;;) {
      const index = this.#queue.findIndex((r) => r.ev === ev);
      if (index >= 0) return this.#queue.splice(index, 1)[0] as Extract<Report, { ev: E }>;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
};

function infoField(info: string, field: string): number {
  return Number(new RegExp(`^${field}:([\\d.]+)`, "m").exec(info)?.[1] ?? NaN);
}

// Deletes the keys of a round in one script (as RedisTier's DELETE_TAG does) and, for pubsub,
// publishes one message naming the round and its size.
const DELETE = `
for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
if ARGV[1] == '1' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return #KEYS
`;

async function measure(mode: Mode, url: string, rounds: number, batch: number, first: number) {
  const receivers = Array.from({ length: RECEIVERS }, () => new Receiver(mode, url));
  await Promise.all(receivers.map((r) => r.next("ready")));
  const sender = createClient({ url });
  const stats = createClient({ url });
  for (const c of [sender, stats]) c.on("error", () => undefined);
  await sender.connect();
  await stats.connect();
  const delays: number[] = [];
  let bytes = 0;
  let cpu = 0;
  let tracked = 0;
  // Output bytes from INFO stats, less the replies inside the window (the first INFO pair's and
  // the script's: the rest is what the receivers were sent); server time
  // from the script's own commandstats: DEL and PUBLISH, and in tracking modes the invalidations
  // queued for the receivers, all run inside it.
  const bulk = (text: string): number => {
    const length = Buffer.byteLength(text);
    return length + String(length).length + 5; // $<length>\r\n<text>\r\n
  };
  const info = async (): Promise<{ bytes: number; cpu: number; tracked: number; own: number }> => {
    const text = await stats.sendCommand<string>(["INFO", "stats"]);
    const commands = await stats.sendCommand<string>(["INFO", "commandstats"]);
    return {
      own: bulk(text) + bulk(commands),
      bytes: infoField(text, "total_net_output_bytes"),
      tracked: infoField(text, "tracking_total_items"),
      cpu: Number(/^cmdstat_eval:calls=\d+,usec=(\d+)/m.exec(commands)?.[1] ?? 0) / 1e6,
    };
  };
  for (let k = 0; k < rounds; k++) {
    const round = first + k;
    const keys = Array.from({ length: batch }, (_, i) => keyOf(round, i));
    for (const key of keys) await sender.set(key, "a value of about forty bytes, like a user");
    for (const r of receivers) r.send({ cmd: "arm", round, keys: batch, read: true });
    await Promise.all(receivers.map((r) => r.next("armed")));
    const before = await info();
    tracked = Math.max(tracked, before.tracked);
    const sent = now();
    const deleted = await sender.sendCommand<number>([
      "EVAL",
      DELETE,
      String(keys.length),
      ...keys,
      mode === "pubsub" ? "1" : "0",
      CHANNEL,
      message(round),
    ]);
    const got = await Promise.all(receivers.map((r) => r.next("got")));
    const after = await info();
    bytes += after.bytes - before.bytes - before.own - `:${String(deleted)}\r\n`.length;
    cpu += after.cpu - before.cpu;
    for (const g of got) delays.push(g.at - sent);
  }
  // A connection dropped, an invalidation made meanwhile, the connection back: heard or not?
  const ids = (await stats.sendCommand<string>(["CLIENT", "LIST"]))
    .split("\n")
    .filter((line) => line.includes("name=receiver-"))
    .map((line) => /^id=(\d+)/.exec(line)?.[1] as string);
  const round = first + rounds;
  await sender.set(keyOf(round, 0), "v");
  for (const r of receivers) r.send({ cmd: "arm", round, keys: 1, read: true });
  await Promise.all(receivers.map((r) => r.next("armed")));
  // Stopped, a receiver cannot reconnect before the invalidation: it surely falls in the gap.
  for (const r of receivers) r.send({ cmd: "drop" });
  await Promise.all(receivers.map((r) => r.next("dropping")));
  for (const r of receivers) r.signal("SIGSTOP");
  for (const id of ids) await stats.sendCommand(["CLIENT", "KILL", "ID", id]);
  await sender.sendCommand([
    "EVAL",
    DELETE,
    "1",
    keyOf(round, 0),
    mode === "pubsub" ? "1" : "0",
    CHANNEL,
    message(round),
  ]);
  for (const r of receivers) r.signal("SIGCONT");
  const heard = (await Promise.all(receivers.map((r) => r.next("dropped")))).map((d) => d.heard);
  for (const r of receivers) r.send({ cmd: "exit" });
  await sender.close();
  await stats.close();
  const operations = rounds;
  return {
    mode,
    batch,
    rounds,
    p50Ms: Number(percentile(delays, 0.5).toFixed(3)),
    p99Ms: Number(percentile(delays, 0.99).toFixed(3)),
    maxMs: Number(Math.max(...delays).toFixed(3)),
    outBytesPerOp: Math.round(bytes / operations),
    scriptUsPerOp: Number(((cpu / operations) * 1e6).toFixed(1)),
    trackedItemsBeforeDelete: tracked,
    heardAfterReconnect: heard,
  };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 200);
  const redis = await RedisServer.start();
  try {
    const results = [];
    let first = 0;
    for (const batch of [1, 100]) {
      for (const mode of MODES) {
        const n = batch === 1 ? rounds : Math.max(20, Math.round(rounds / 4));
        const result = await measure(mode, redis.url, n, batch, first);
        first += n + 1;
        console.log(JSON.stringify(result));
        results.push(result);
      }
    }
    console.log(JSON.stringify({ redis: "7.0", receivers: RECEIVERS, results }));
  } finally {
    await redis.stop();
  }
}

if (process.argv[2] === "receiver") {
  await receiver(process.argv[3] as Mode, process.argv[4] as string);
} else {
  await main();
}
