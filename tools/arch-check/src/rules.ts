/** Every rule arch-check reports, with a one-line description (SARIF, docs, config checks). */
export const RULES: readonly (readonly [id: string, description: string])[] = [
  ["arch/layer", "A dependency between elements that the config does not allow."],
  ["arch/exclusive-owner", "An external module used or declared outside its owners."],
  ["arch/forbidden-import", "An import matching a forbidden rule."],
  ["arch/cycle", "An import cycle at runtime (one strongly connected component)."],
  ["arch/cycle-type-only", "A cycle through type-only imports."],
  ["arch/deep-import", "An import of a subpath another package does not export."],
  ["arch/relative-cross-package", "A relative import into another package."],
  ["arch/undeclared-dependency", "An import of a package the importer does not declare."],
  ["arch/unused-dependency", "A declared dependency never imported."],
  ["arch/required-file", "A file the element requires is missing."],
  ["arch/public-api", "`export *` or a default export in a public entry."],
  ["arch/unassigned-package", "A package in no element."],
  [
    "arch/tsconfig",
    "A tsconfig.json that could not be used as written (unreadable, invalid, broken `extends`).",
  ],
  [
    "arch/suppression",
    "A suppression comment or config exception without a reason, or that matched nothing.",
  ],
];

/** The rule ids, for validation. */
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map(([id]) => id));
