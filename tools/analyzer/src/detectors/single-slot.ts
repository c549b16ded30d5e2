import { ts } from "ts-morph";
import { chain, topStatement } from "../ast.js";
import type { Detection, Detector } from "../detector.js";
import { factsOf, functionName } from "../file-facts.js";
import { functionOf } from "./keyed-flows.js";
import { slotMemos } from "./slot-memos.js";
import {
  entryAgeVerdict,
  entryStampWrite,
  expiryKeys,
  guardsReuse,
  ifOnLocal,
  refillCheck,
  restampedOnPass,
  stampCheck,
} from "./expiry-stamps.js";
import {
  expiryPredicate,
  expiryUses,
  foreignExpiryUses,
  namedNotExpiry,
} from "./expiry-predicate.js";
import type { ExpiryPredicate, ExpiryUse } from "./expiry-predicate.js";
import { stampBesideValue } from "./look-alikes.js";
import { staleRefills } from "./stale-refill.js";
import { entryExpiries, functionAround, holdsCode } from "./entry-expiry.js";
import { cacheClass, cacheClassAround, memoFunction } from "./memo-function.js";

/**
 * Single-slot caches: a memo kept in one field or closure variable (emptied elsewhere, or inside a
 * memoizing helper), and expiry by hand — a stamp `clock + ttl` (or a stored time) written by the
 * code and compared with the clock where a stored value is reused, removed or judged valid — and
 * small functions whose answer is a stored expiry compared with the clock (the stamp may be
 * written elsewhere: by another module, or taken from a response).
 */
export const singleSlotDetector: Detector = {
  id: "caching/single-slot",
  category: "caching",
  kinds: ["ttl-cache", "promise-cache", "memoize"],
  prefilter: /=/,
  detect({ sourceFile }) {
    const facts = factsOf(sourceFile);
    const detections: Detection[] = [];
    const expiries = expiryKeys(facts);
    const byFunction = new Map<
      ts.Node,
      { keys: Set<string>; nodes: Set<ts.Node>; refilled?: string }
    >();
    for (const b of facts.binaries) {
      const key = stampCheck(facts, expiries, b);
      const refill = refillCheck(facts, b);
      if (refill !== undefined) {
        if (namedNotExpiry(refill.key)) continue;
        const fn = functionOf(b);
        let entry = byFunction.get(fn);
        if (entry === undefined)
          byFunction.set(fn, (entry = { keys: new Set(), nodes: new Set() }));
        entry.keys.add(refill.key);
        for (const n of refill.nodes) entry.nodes.add(n);
        entry.refilled = refill.slot;
        continue;
      }
      if (
        key === undefined ||
        namedNotExpiry(key) ||
        !(guardsReuse(b, expiries.has(key)) || entryAgeVerdict(facts, key, b))
      )
        continue;
      if (restampedOnPass(facts, key, b)) continue;
      // A stamp written with no value beside it is a deadline (a rate-limit reset), not an expiry.
      const writes = expiries.get(key);
      if (writes !== undefined && !writes.some((w) => stampBesideValue(w, key))) continue;
      const fn = functionOf(b);
      let entry = byFunction.get(fn);
      if (entry === undefined) byFunction.set(fn, (entry = { keys: new Set(), nodes: new Set() }));
      entry.keys.add(key);
      entry.nodes.add(topStatement(b));
      // An age held in a local (`const expired = now - e.at > max`): the `if` acting on it too.
      const local = b.parent;
      const acts =
        ts.isVariableDeclaration(local) && local.initializer === b ? ifOnLocal(local) : undefined;
      if (acts !== undefined) entry.nodes.add(acts);
    }
    const predicates = new Map<ts.Node, ExpiryPredicate>();
    for (const b of facts.binaries) {
      const p = expiryPredicate(facts, b);
      if (p === undefined || byFunction.has(p.fn) || predicates.has(p.fn)) continue;
      const writes = expiries.get(p.key);
      if (writes !== undefined && !writes.some((w) => stampBesideValue(w, p.key))) continue;
      predicates.set(p.fn, p);
    }
    const uses = expiryUses(facts, [...predicates.values()]);
    const consumed = new Set<ExpiryUse>();
    for (const memo of slotMemos(sourceFile)) {
      // A slot reused while a stamp written beside it is ahead of the clock: the stamp's TTL cache
      // below reports it (with the stamp's lines).
      if (byFunction.has(memo.fn)) continue;
      // A slot filled when empty or when an expiry predicate says so: a single-slot TTL cache.
      const use = uses.find((u) =>
        u.context.some((c) => memo.own.some((n) => n.pos >= c.pos && n.end <= c.end)),
      );
      if (use !== undefined) consumed.add(use);
      // A get-or-compute function (it ends by returning the slot) takes its whole range.
      const cls = cacheClass(memo.fn, memo.slot);
      const around =
        cls === undefined
          ? memoFunction(memo.fn, memo.own, memo.slot, (e) => chain(e) === memo.slot)
          : undefined;
      detections.push({
        kind: use === undefined ? memo.kind : "ttl-cache",
        confidence: 0.8,
        nodes:
          cls !== undefined ? [cls] : around === undefined ? memo.own : [...memo.own, around.ret],
        context: around === undefined ? memo.context : [...memo.context, around.span],
        evidence: [
          `\`${memo.slot}\` returned when set, computed and stored otherwise`,
          use === undefined ? memo.why : `refilled when \`${use.predicate}\` says it expired`,
        ],
        name: memo.slot,
      });
    }
    // Where an entry's stamp is written with the entry in a function that does not check it (`save`
    // beside `restore`): the write half of the same TTL, reported on its own lines.
    const writeHalves = new Map<ts.Node, { key: string; nodes: ts.Node[] }>();
    const classes = [...byFunction.keys()].map((fn) => cacheClassAround(fn));
    for (const [fn, { keys }] of byFunction)
      for (const k of keys)
        for (const stamp of expiries.get(k) ?? facts.marks.get(k) ?? []) {
          const at = functionOf(stamp);
          if (at === fn || byFunction.has(at) || writeHalves.has(topStatement(stamp))) continue;
          if (classes.some((c) => c !== undefined && stamp.pos >= c.pos && stamp.end <= c.end))
            continue;
          const write = entryStampWrite(stamp, k);
          if (write !== undefined) writeHalves.set(topStatement(stamp), { key: k, nodes: write });
        }
    for (const { key, nodes } of writeHalves.values())
      detections.push({
        kind: "ttl-cache",
        confidence: 0.7,
        nodes,
        evidence: [
          `stamp \`${key.replace(/^\./, "")}\` written from the clock with the entry it dates`,
          "read back elsewhere in the file and compared with the clock (the write half of a TTL)",
        ],
      });
    for (const [fn, { keys, nodes, refilled }] of byFunction) {
      // The stamp belongs to the construct when it is written in the same function.
      for (const k of keys)
        for (const stamp of expiries.get(k) ?? facts.marks.get(k) ?? [])
          if (functionOf(stamp) === fn) nodes.add(stamp);
      // A TTL cache class (every method uses one store, no other field changed) is the construct.
      const cls = cacheClassAround(fn);
      detections.push({
        kind: "ttl-cache",
        confidence: 0.8,
        nodes: cls !== undefined ? [cls] : [...nodes].sort((a, b) => a.pos - b.pos),
        evidence: [
          `stamp ${[...keys].map((k) => `\`${k.replace(/^\./, "")}\``).join(", ")} written from the clock`,
          refilled === undefined
            ? "compared with the clock where the stored value is reused or dropped"
            : `\`${refilled}\` worked out again and the stamp renewed when it is older than an age`,
        ],
        ...(refilled === undefined ? {} : { name: refilled }),
      });
    }
    for (const { fn, key } of predicates.values()) {
      const name = functionName(fn);
      detections.push({
        kind: "ttl-cache",
        confidence: 0.7,
        nodes: [fn],
        ...(name === undefined ? {} : { name }),
        evidence: [
          `answers whether the stored time \`${key.replace(/^\./, "")}\` is past, compared with the clock`,
          "an expiry check that decides whether a kept value may still be used",
        ],
      });
    }
    for (const use of uses)
      if (!consumed.has(use))
        detections.push({
          kind: "ttl-cache",
          confidence: 0.7,
          nodes: use.nodes,
          context: use.context,
          evidence: [
            `reuses or refreshes a kept value on \`${use.predicate}\`'s expiry answer`,
            "an expiry check that decides whether a kept value may still be used",
          ],
        });
    // A kept value worked out again when it is missing or its stored time is old, the refill in
    // the branch or in a function of the file it calls (a stamp the checks above do not know).
    const covered = (n: ts.Node): boolean =>
      detections.some((d) =>
        [...d.nodes, ...(d.context ?? [])].some((m) => m.pos < n.end && n.pos < m.end),
      );
    for (const { gate, slot, stamp, nodes } of staleRefills(facts)) {
      if (covered(gate)) continue;
      detections.push({
        kind: "ttl-cache",
        confidence: 0.7,
        nodes,
        name: slot,
        evidence: [
          `\`${slot}\` worked out again when it is missing or \`${stamp}\` is old against the clock`,
          "the kept value is reused while its time is fresh",
        ],
      });
    }
    // An entry's time put into a keyed store with it (handed in or worked out elsewhere) and
    // compared with the clock where an entry got from that store is reused or dropped.
    const halves = new Set<ts.Node>();
    for (const { check, puts, store, stamp } of entryExpiries(facts)) {
      if (covered(check)) continue;
      const fn = functionAround(check);
      const own = puts.filter((p) => p.every((n) => functionAround(n) === fn));
      detections.push({
        kind: "ttl-cache",
        confidence: 0.7,
        nodes: [...own.flat(), check].sort((a, b) => a.pos - b.pos),
        name: store,
        evidence: [
          `entries of \`${store}\` are put with their time \`${stamp}\``,
          "an entry got back is compared with the clock where it is reused or dropped",
        ],
      });
      for (const p of puts) {
        const first = p[0];
        if (first === undefined || own.includes(p) || halves.has(first)) continue;
        if (p.some((n) => covered(n) || holdsCode(n))) continue;
        halves.add(first);
        detections.push({
          kind: "ttl-cache",
          confidence: 0.7,
          nodes: p,
          name: store,
          evidence: [
            `entry put into \`${store}\` with its time \`${stamp}\``,
            "read back elsewhere in the file and compared with the clock (the write half of a TTL)",
          ],
        });
      }
    }
    // A refill decided by an expiry check another file defines (a base class's method): held
    // until the cross-file step finds that file's expiry predicate.
    const own = new Set<string>();
    for (const fn of facts.functions) {
      const name = functionName(fn);
      if (name !== undefined) own.add(name);
    }
    for (const { statement, predicate } of foreignExpiryUses(facts, own))
      detections.push({
        kind: "ttl-cache",
        confidence: 0.7,
        nodes: [statement],
        evidence: [
          `the kept value is worked out again when it is empty or \`${predicate}()\` says it expired`,
          `\`${predicate}\` is an expiry check of another file (a stored time compared with the clock)`,
        ],
        needs: predicate,
      });
    return detections;
  },
};
