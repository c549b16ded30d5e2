import { Zipf } from "./zipf.js";
import type { Handler } from "./service-workload.js";
import type { Cache } from "@perflayer/cache";

/** A cached item of the catalogue service: about 2 KB by `estimateSize`. */
interface Item {
  readonly id: number;
  readonly name: string;
  readonly price: number;
  readonly tags: readonly string[];
  readonly body: string;
}

/**
 * The workload, per request: a Zipf (s = 1) read over a key space growing from 10k to
 * 200k keys across the run, a load (a fresh ~2 KB value) on a miss, and a 12,000-byte response
 * buffer held for 10 ms (in flight).
 * @param cache - the cache under test
 * @param requests - requests in the run (the key space grows with the request index)
 * @param seed - the key sequence's seed (the same for every variant)
 * @returns the request handler
 */
export function catalogueService(
  cache: Cache<number, unknown>,
  requests: number,
  seed: number,
): Handler {
  const zipf = new Zipf(1, seed);
  const template = Buffer.alloc(1_900, "abcdefghijklmnopqrstuvwxyz0123456789");
  const load = (id: number): Item => {
    template.write(`${id}:`, 0, "latin1");
    return {
      id,
      name: `item-${id}`,
      price: id % 997,
      tags: ["catalogue", `shelf-${id % 50}`],
      body: template.toString("latin1"), // a fresh, flat 1,900-byte string
    };
  };
  return (i, io) => {
    const keys = 10_000 + Math.floor((190_000 * i) / requests);
    const key = zipf.next(keys);
    let item = cache.get(key) as Item | undefined;
    if (item === undefined) cache.set(key, (item = load(key)));
    const body = io.take(12_000);
    body.write(item.body, 0, "latin1");
    io.hold(body, 10);
  };
}

/** A cached product page of the bursty service: about 4 KB by `estimateSize`. */
interface Page {
  readonly id: number;
  readonly lines: readonly { readonly sku: string; readonly qty: number; readonly price: number }[];
  readonly title: string;
}

/**
 * A second service: Zipf (s = 0.9) reads over 60k product pages of ~4 KB, a 4,000-byte response
 * buffer per request held 5 ms, and bursts — for 3 s in every 15 s of requests, one request in
 * twenty builds a report (1,000 records, ~100 KB of heap, and a 64 KiB buffer) held 250 ms, so about
 * 10 MiB of live memory no reclaimer holds comes and goes.
 * @param cache - the cache under test
 * @param rate - requests per second (bursts are placed by request index at this rate)
 * @param seed - the key sequence's seed
 * @returns the request handler
 */
export function burstyService(cache: Cache<number, unknown>, rate: number, seed: number): Handler {
  const zipf = new Zipf(0.9, seed);
  const cycle = 15 * rate;
  const burst = 3 * rate;
  const load = (id: number): Page => ({
    id,
    title: `product ${id} `.padEnd(300, "·"),
    lines: Array.from({ length: 40 }, (_, j) => ({
      sku: `sku-${id}-${j}`.padEnd(24, "-"),
      qty: j,
      price: (id * 31 + j) % 1_000,
    })),
  });
  return (i, io) => {
    const key = zipf.next(60_000);
    let page = cache.get(key) as Page | undefined;
    if (page === undefined) cache.set(key, (page = load(key)));
    if (i % cycle < burst && i % 20 === 0) {
      const report = Array.from({ length: 1_000 }, (_, j) => ({
        row: j,
        product: page.id,
        label: `row ${j} of ${page.title.length}`,
      }));
      const out = io.take(65_536);
      out.write(page.title, 0, "utf8");
      io.hold(out, 250, report);
    } else {
      const out = io.take(4_000);
      out.write(page.title, 0, "utf8");
      io.hold(out, 5);
    }
  };
}
