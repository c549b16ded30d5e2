// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/coverage/**",
      "docs/api/**",
      "**/__fixtures__/**",
      "**/.bench-cache/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      // Passing an unknown failure through unchanged is right; inventing an Error would lose it.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportAllDeclaration",
          message: "Name every export (STYLE rule 5): no `export *`.",
        },
        { selector: "ExportDefaultDeclaration", message: "No default exports (STYLE rule 5)." },
      ],
    },
  },
  {
    // Config files are the one place tools demand a default export.
    files: ["**/*.config.{js,ts,mjs}", "eslint.config.js", "prettier.config.js"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["**/bin/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly" },
    },
  },
);
