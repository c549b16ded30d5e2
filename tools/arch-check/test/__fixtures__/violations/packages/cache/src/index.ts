import { LRUCache } from "lru-cache";
import { a } from "@fx/core";
export const cache = new LRUCache<string, number>({ max: a() });
