// Steps threaded one after the other within a single call: a pipeline, not a limit on callers.
// expect: none
type Step = (input: string) => Promise<string>;

export function runSteps(input: string, steps: Step[]): Promise<string> {
  let result = Promise.resolve(input);
  for (const step of steps) result = result.then(step);
  return result;
}
