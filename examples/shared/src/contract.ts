import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: await res.text(),
  };
}

/**
 * The HTTP contract both example services keep: the same routes, status codes and bodies. The
 * migration is only a migration if this suite passes against the legacy service and the migrated
 * one alike.
 * @param name - the service under test
 * @param start - starts a fresh service on 127.0.0.1
 */
export function describeContract(name: string, start: () => Promise<RunningService>): void {
  describe(`${name} keeps the HTTP contract`, () => {
    let service: RunningService;
    beforeAll(async () => {
      service = await start();
    });
    afterAll(async () => {
      await service.close();
    });

    it("answers /health", async () => {
      const res = await get(`${service.url}/health`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ status: "ok" });
    });

    it("returns a product as JSON", async () => {
      const res = await get(`${service.url}/products/42`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/application\/json/);
      expect(JSON.parse(res.body)).toEqual({
        id: 42,
        name: "product 42",
        priceCents: 100 + ((42 * 7919) % 10_000),
      });
    });

    it("returns a user with their favourite products", async () => {
      const res = await get(`${service.url}/users/7`);
      expect(res.status).toBe(200);
      const user = JSON.parse(res.body) as {
        id: number;
        favourites: { id: number; name: string }[];
      };
      expect(user.id).toBe(7);
      expect(user.favourites).toHaveLength(3);
      expect(user.favourites.map((p) => p.name)).toEqual(
        user.favourites.map((p) => `product ${p.id}`),
      );
    });

    it("answers 404 for a product that does not exist, and again after a retry", async () => {
      for (let i = 0; i < 2; i++) {
        const res = await get(`${service.url}/products/999999`);
        expect(res.status).toBe(404);
        expect(JSON.parse(res.body)).toEqual({ error: "product 999999 not found" });
      }
    });

    it("answers 400 for an id that is not a number", async () => {
      const res = await get(`${service.url}/products/abc`);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: 'id must be a positive integer, got "abc"' });
    });

    it("answers 404 for an unknown route", async () => {
      const res = await get(`${service.url}/nope`);
      expect(res.status).toBe(404);
    });

    it("serves repeated reads from its cache: one backend query per product", async () => {
      const before = service.backend.queries;
      await Promise.all(Array.from({ length: 5 }, () => get(`${service.url}/products/4321`)));
      await get(`${service.url}/products/4321`);
      const queries = service.backend.queries - before;
      expect(queries).toBeGreaterThanOrEqual(1);
      expect(queries).toBeLessThanOrEqual(5); // the legacy service may stampede; never more than one per caller
    });

    it("exposes request counts on /metrics", async () => {
      await get(`${service.url}/products/1`);
      const res = await get(`${service.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/text\/plain/);
      expect(res.body).toMatch(/^http_requests_total\{route="\/products\/:id"[^}]*\} [1-9]/m);
    });
  });
}
