// Loops that catch and go on but retry nothing: parsers tried one after another over a list (the
// counter picks the next one), a worker loop with no bound, pages fetched by number with their
// errors kept, a recursive walk that goes one level deeper on an error node, paths tried in turn
// by a callback that moves to the next index on an error, and a queue drained up to a
// number of tasks.
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

export function firstReadable(
  paths: string[],
  read: (path: string, done: (err: Error | null) => void) => void,
  callback: (found?: string) => void,
): void {
  const next = (index: number): void => {
    if (index >= paths.length) return callback();
    const path = paths[index] as string;
    read(path, (err) => {
      if (err) return next(index + 1);
      callback(path);
    });
  };
  next(0);
}

export function drain(queue: (() => void)[], max: number): number {
  let done = 0;
  while (queue.length > 0 && done < max) {
    const task = queue.shift();
    try {
      task?.();
    } catch {
      continue;
    }
    done++;
  }
  return done;
}
