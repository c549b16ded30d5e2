// The root README's "## Use a package" section: the first code a newcomer copies, and the output
// it promises. Read by `pnpm release:check` and by the packed-packages test, which run the code
// against an installed tarball and compare what it prints.

/** The consumer example of the root README. */
export interface ConsumerExample {
  /** The package the example installs (`npm i <name>`). */
  readonly install: string;
  /** The ```js block: an ES module. */
  readonly code: string;
  /** The ```text block after it: what the code prints. */
  readonly output: string;
}

/**
 * Reads the consumer example of the root README.
 * @param readme - the README's text
 * @returns the example, or undefined when the section or one of its blocks is missing
 */
export function consumerExample(readme: string): ConsumerExample | undefined {
  const section = /^## Use a package\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  if (section === undefined) return undefined;
  const install = /```sh\nnpm i (\S+)\n```/.exec(section)?.[1];
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  const output = /```js\n[\s\S]*?```\s*```text\n([\s\S]*?)```/.exec(section)?.[1];
  if (install === undefined || code === undefined || output === undefined) return undefined;
  return { install, code, output };
}
