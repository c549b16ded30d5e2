// Loops that catch and go on but retry nothing: parsers tried one after another over a list (the
// counter picks the next one), a worker loop with no bound, pages fetched by number with their
// errors kept, and a recursive walk that goes one level deeper on an error node.
// expect: none
export function parseAny(parsers: ((text: string) => unknown)[], text: string): unknown {
  for (let i = 0; i < parsers.length; i++) {
    try {
      return parsers[i]?.(text);
    } catch {
      // the next parser
    }
  }
  return undefined;
}

export async function work(state: { running: boolean }, tick: () => Promise<void>): Promise<void> {
  while (state.running) {
    try {
      await tick();
    } catch (error) {
      console.error(error);
    }
  }
}

export async function fetchPages(
  fetchPage: (n: number) => Promise<string>,
  pages: number,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (let page = 0; page < pages; page++) {
    try {
      await fetchPage(page);
    } catch (error) {
      errors.push(error);
    }
  }
  return errors;
}

interface Tree {
  readonly error?: boolean;
  readonly child?: Tree;
}

export function depthOf(tree: Tree, depth: number): number {
  if (tree.error && tree.child !== undefined) return depthOf(tree.child, depth + 1);
  return depth > 0 ? depth : 0;
}
