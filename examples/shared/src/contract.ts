import { afterAll, beforeAll, expect } from "vitest";
import type { Backend } from "./backend.js";

/** A running example service. */
export interface RunningService {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** The backend it reads. */
  readonly backend: Backend;
  /** Stops it. */
  close(): Promise<void>;
}

/** One clause of the HTTP contract: what to observe on a service, and what must be seen. */
export interface ContractCase {
  /** The clause, as a test name. */
  readonly name: string;
  /** Makes the requests and returns what they showed. */
  readonly observe: (service: RunningService) => Promise<unknown>;
  /** What `observe` must return (`toEqual`; asymmetric matchers allowed). */
  readonly expected: unknown;
}

// vitest types its asymmetric matchers as `any`; these keep them typed.
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern) as unknown;
const anyString = (): unknown => expect.any(String) as unknown;

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: await res.text(),
  };
}

async function getJson(url: string): Promise<{ status: number; type: string; json: unknown }> {
  const { status, type, body } = await get(url);
  return { status, type, json: JSON.parse(body) as unknown };
}

/**
 * The HTTP contract both example services keep: the same routes, status codes and bodies. The
 * migration is only a migration if every clause holds against the legacy service and the migrated
 * one alike (each service's `test/contract.test.ts` runs them).
 */
export const CONTRACT: readonly ContractCase[] = [
  {
    name: "answers /health",
    observe: async (s) => (await getJson(`${s.url}/health`)).json,
    expected: { status: "ok" },
  },
  {
    name: "returns a product as JSON",
    observe: (s) => getJson(`${s.url}/products/42`),
    expected: {
      status: 200,
      type: matching(/application\/json/),
      json: { id: 42, name: "product 42", priceCents: 100 + ((42 * 7919) % 10_000) },
    },
  },
  {
    name: "returns a user with their three favourite products",
    observe: async (s) => {
      const { status, json } = await getJson(`${s.url}/users/7`);
      const user = json as { id: number; favourites: { id: number; name: string }[] };
      return { status, id: user.id, favourites: user.favourites.map((p) => p.name) };
    },
    expected: {
      status: 200,
      id: 7,
      favourites: [1, 2, 3].map((k) => `product ${((7 * 31 + k * 17) % 5000) + 1}`),
    },
  },
  {
    name: "answers 404 for a product that does not exist, and again after a retry",
    observe: async (s) => [
      await getJson(`${s.url}/products/999999`),
      await getJson(`${s.url}/products/999999`),
    ],
    expected: Array.from({ length: 2 }, () => ({
      status: 404,
      type: anyString(),
      json: { error: "product 999999 not found" },
    })),
  },
  {
    name: "answers 400 for an id that is not a number",
    observe: (s) => getJson(`${s.url}/products/abc`),
    expected: {
      status: 400,
      type: anyString(),
      json: { error: 'id must be a positive integer, got "abc"' },
    },
  },
  {
    name: "answers 404 for an unknown route",
    observe: async (s) => (await get(`${s.url}/nope`)).status,
    expected: 404,
  },
  {
    name: "serves repeated reads from its cache",
    observe: async (s) => {
      const before = s.backend.queries;
      await Promise.all(Array.from({ length: 5 }, () => get(`${s.url}/products/4321`)));
      const burst = s.backend.queries - before;
      await get(`${s.url}/products/4321`);
      return {
        // The legacy service may stampede; never more than one query per caller.
        burstQueriedOnceOrMore: burst >= 1,
        burstAtMostOnePerCaller: burst <= 5,
        repeatQueries: s.backend.queries - before - burst,
      };
    },
    expected: { burstQueriedOnceOrMore: true, burstAtMostOnePerCaller: true, repeatQueries: 0 },
  },
  {
    name: "exposes request counts on /metrics",
    observe: async (s) => {
      await get(`${s.url}/products/1`);
      return get(`${s.url}/metrics`);
    },
    expected: {
      status: 200,
      type: matching(/text\/plain/),
      body: matching(/^http_requests_total\{route="\/products\/:id"[^}]*\} [1-9]/m),
    },
  },
];

/**
 * Starts a service before the file's tests and stops it after them.
 * @param start - starts a fresh service on 127.0.0.1
 * @returns the running service (valid inside tests)
 */
export function useService<S extends RunningService>(start: () => Promise<S>): () => S {
  let service: S | undefined;
  beforeAll(async () => {
    service = await start();
  });
  afterAll(async () => {
    await service?.close();
  });
  return () => {
    if (service === undefined) throw new Error("useService: the service is not running yet");
    return service;
  };
}
