// Scoring one repository's findings against its labels, by the convention in ANALYZER-LABELS.md: a
// positive is found when a finding in the same file overlaps its range (category agreement counted
// apart); a negative is violated when any finding overlaps it.
import type { Category } from "../src/detector.js";
import type { Negative, Positive, RepoLabels } from "./labels.js";

/** What scoring needs of a finding. */
export interface ScoredFinding {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly category: Category;
  readonly kind: string;
  readonly eliminableLines: number;
}

/** Recall counts of a group of positives. */
export interface Tally {
  /** Positives in the group (those in files the analyzer read). */
  readonly positives: number;
  /** Found: a finding in the same file overlaps. */
  readonly found: number;
  /** Found by a finding of the same category. */
  readonly sameCategory: number;
  /** Found by a finding of the same kind. */
  readonly sameKind: number;
}

/** Eliminable lines against the hand counts, over the positives that have one. */
export interface LineAccount {
  /** Positives with a hand count. */
  readonly positives: number;
  /** Sum of their hand counts. */
  readonly hand: number;
  /** Sum of the eliminable lines of the findings attributed to them. */
  readonly analyzer: number;
  /** Each counted positive: its hand count and the analyzer's lines attributed to it. */
  readonly perPositive: readonly {
    readonly id: string;
    readonly category: Category;
    readonly kind: string;
    readonly hand: number;
    readonly analyzer: number;
    /** Whether a finding of the same category was attributed to it (false: a miss, 0 lines). */
    readonly found: boolean;
    /** Its label range. */
    readonly path: string;
    readonly start: number;
    readonly end: number;
    /** The findings whose lines were attributed to it. */
    readonly findings: readonly ScoredFinding[];
    /** Findings that overlap it but whose lines went elsewhere (another category or positive). */
    readonly elsewhere: readonly ScoredFinding[];
  }[];
}

/** One repository's score. */
export interface RepoScore {
  readonly total: Tally;
  readonly byCategory: Readonly<Record<Category, Tally>>;
  /** Negatives in files the analyzer read. */
  readonly negatives: number;
  /** Ids of negatives some finding overlaps. */
  readonly violated: readonly string[];
  readonly lines: LineAccount;
  /** Positives not found (id, category, kind). */
  readonly missed: readonly Positive[];
  /** Found positives whose kind differs from every overlapping finding's. */
  readonly wrongKind: readonly { readonly positive: Positive; readonly kinds: readonly string[] }[];
  /** Labels whose file the analyzer did not read (missing, skipped or classed as test). */
  readonly unreached: readonly string[];
  /** Findings that overlap no label (a sample of them is judged by hand for precision). */
  readonly unlabelled: number;
}

const CATEGORIES: readonly Category[] = ["caching", "memory", "response", "monitoring"];

function overlaps(f: ScoredFinding, label: Positive | Negative): boolean {
  return f.file === label.path && f.startLine <= label.end && label.start <= f.endLine;
}

function overlap(f: ScoredFinding, p: Positive): number {
  return Math.min(f.endLine, p.end) - Math.max(f.startLine, p.start) + 1;
}

/** Only what scoring reads of a finding (a report's finding carries much more). */
function scored(f: ScoredFinding): ScoredFinding {
  const { file, startLine, endLine, category, kind, eliminableLines } = f;
  return { file, startLine, endLine, category, kind, eliminableLines };
}

function tally(positives: readonly Positive[], findings: readonly ScoredFinding[]): Tally {
  let found = 0;
  let sameCategory = 0;
  let sameKind = 0;
  for (const p of positives) {
    const hits = findings.filter((f) => overlaps(f, p));
    if (hits.length > 0) found++;
    if (hits.some((f) => f.category === p.category)) sameCategory++;
    if (hits.some((f) => f.kind === p.kind)) sameKind++;
  }
  return { positives: positives.length, found, sameCategory, sameKind };
}

/**
 * Scores one repository.
 * @param labels - its label file
 * @param findings - the analyzer's source findings
 * @param analysed - the files (relative paths) the analyzer read as source
 * @returns recall, violations and line accounting
 */
export function scoreRepo(
  labels: RepoLabels,
  findings: readonly ScoredFinding[],
  analysed: ReadonlySet<string>,
): RepoScore {
  const reached = <T extends Positive | Negative>(l: T): boolean => analysed.has(l.path);
  const positives = labels.positives.filter(reached);
  const negatives = labels.negatives.filter(reached);
  const unreached = [...labels.positives, ...labels.negatives]
    .filter((l) => !reached(l))
    .map((l) => `${l.id} ${l.path}`);
  const byCategory = Object.fromEntries(
    CATEGORIES.map((c) => [
      c,
      tally(
        positives.filter((p) => p.category === c),
        findings,
      ),
    ]),
  ) as Record<Category, Tally>;

  // Each finding's lines are attributed to the one same-category positive it overlaps most (the
  // smaller positive on a tie, so a nested mechanism keeps its own finding).
  const attributed = new Map<Positive, number>();
  const attributedFindings = new Map<Positive, ScoredFinding[]>();
  for (const f of findings) {
    let best: Positive | undefined;
    for (const p of positives) {
      if (p.category !== f.category || !overlaps(f, p)) continue;
      if (
        best === undefined ||
        overlap(f, p) > overlap(f, best) ||
        (overlap(f, p) === overlap(f, best) && p.end - p.start < best.end - best.start)
      )
        best = p;
    }
    if (best === undefined) continue;
    attributed.set(best, (attributed.get(best) ?? 0) + f.eliminableLines);
    attributedFindings.set(best, [...(attributedFindings.get(best) ?? []), f]);
  }
  const counted = positives.filter((p) => p.removable !== undefined);
  const lines: LineAccount = {
    positives: counted.length,
    hand: counted.reduce((s, p) => s + (p.removable ?? 0), 0),
    analyzer: counted.reduce((s, p) => s + (attributed.get(p) ?? 0), 0),
    perPositive: counted.map((p) => ({
      id: p.id,
      category: p.category,
      kind: p.kind,
      hand: p.removable ?? 0,
      analyzer: attributed.get(p) ?? 0,
      found: attributed.has(p),
      path: p.path,
      start: p.start,
      end: p.end,
      findings: (attributedFindings.get(p) ?? []).map(scored),
      elsewhere: findings
        .filter((f) => overlaps(f, p) && !(attributedFindings.get(p) ?? []).includes(f))
        .map(scored),
    })),
  };

  const missed: Positive[] = [];
  const wrongKind: { positive: Positive; kinds: string[] }[] = [];
  for (const p of positives) {
    const hits = findings.filter((f) => overlaps(f, p));
    if (hits.length === 0) missed.push(p);
    else if (!hits.some((f) => f.kind === p.kind))
      wrongKind.push({ positive: p, kinds: [...new Set(hits.map((f) => f.kind))] });
  }
  const labelled = [...positives, ...negatives];
  return {
    total: tally(positives, findings),
    byCategory,
    negatives: negatives.length,
    violated: negatives.filter((n) => findings.some((f) => overlaps(f, n))).map((n) => n.id),
    lines,
    missed,
    wrongKind,
    unreached,
    unlabelled: findings.filter((f) => !labelled.some((l) => overlaps(f, l))).length,
  };
}

/**
 * Adds tallies up.
 * @param tallies - the parts
 * @returns their sum
 */
export function addTallies(tallies: readonly Tally[]): Tally {
  return tallies.reduce(
    (sum, t) => ({
      positives: sum.positives + t.positives,
      found: sum.found + t.found,
      sameCategory: sum.sameCategory + t.sameCategory,
      sameKind: sum.sameKind + t.sameKind,
    }),
    { positives: 0, found: 0, sameCategory: 0, sameKind: 0 },
  );
}
