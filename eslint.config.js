// ESLint for the repository's JavaScript: the package's entry templates, build and test
// scripts, the mock vendors, the demo, the examples and the benchmark.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["pkg/**", "node_modules/**", "target/**", "tests/artifacts/**", "docs/**"] },
  js.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "error",
      "prefer-const": "error",
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
];
