import { RedisServer } from "./test/redis-server.ts";
import { CacheManager } from "@perflayer/cache";
import { RedisTier } from "@perflayer/cache-redis";
import { createClient, RESP_TYPES } from "@redis/client";
import { Keyv } from "keyv";
import KeyvRedis from "@keyv/redis";
import { Cacheable, CacheableMemory } from "cacheable";
const server = await RedisServer.start();
const tier = new RedisTier({ url: server.url, namespace: "ours" });
await tier.connect(10_000);
const caches = new CacheManager({ sweepIntervalMs: 0 });
const value = { id: 42, name: "a catalogue entry", tags: ["a", "b", "c"] };
const keys = Array.from({ length: 100 }, (_, i) => `key:${i}`);
const c = caches.cache<string, object>("l2", { max: 1, secondTier: tier });
for (const k of keys) c.set(k, value);
const raw = createClient({ url: server.url }); await raw.connect();
const B = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };
const cacheable = new Cacheable({ primary: new Keyv({ store: new CacheableMemory({ lruSize: 1 }) }), secondary: new KeyvRedis(server.url, { namespace: "anchor" }) });
for (const k of keys) await cacheable.set(k, value);
await new Promise(r => setTimeout(r, 200));
const miss = () => { throw new Error("miss"); };
const variants: Record<string, (k: string) => Promise<unknown>> = {
  rawGET: (k) => raw.sendCommand(["GET", `ours:{l2}:d:s:${k}`], B),
  ours: (k) => c.getOrLoad(k, miss),
  anchor: (k) => cacheable.get(k),
};
const res: Record<string, number[]> = {}; const wall: Record<string, number[]> = {};
for (let r = 0; r < 150; r++) for (const [name, f] of Object.entries(variants).filter(([n]) => n === process.argv[2])) {
  const u = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < 200; i++) await f(keys[i % 100]!);
  const d = process.cpuUsage(u);
  (res[name] ??= []).push((d.user + d.system) / 200); (wall[name] ??= []).push((performance.now() - t) * 1000 / 200);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const n of Object.keys(res)) console.log(n.padEnd(8), "cpu µs", med(res[n]!).toFixed(1), "wall µs", med(wall[n]!).toFixed(1));
console.log(JSON.stringify(tier.stats().errors), tier.stats().hits);
await raw.close(); await caches.close(); await tier.close(); await cacheable.disconnect(); await server.stop();
