// ESLint flat config: typescript-eslint's recommended rules, type-aware, plus Prettier's
// "turn off what conflicts with formatting".
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

/** The composition root: it builds the app from every layer, so no layer may import it. */
const COMPOSITION_ROOT = ["**/wiring/**", "**/app.ts"];

export default tseslint.config(
  {
    ignores: ["node_modules/", "src/db/generated/", "data/", "coverage/", "dist/", ".vitest-tmp/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      eqeqeq: ["error", "always"],
      "no-console": "off",
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  // The layer rule (README "Architecture"): each layer may import only what sits below it. The
  // composition root (src/app.ts and src/wiring) sits above them all: it may import everything,
  // and nothing imports it back (COMPOSITION_ROOT is added to every zone).
  ...layerZones([
    {
      files: ["src/bot/**"],
      message: "src/bot formats and calls domain services: no database, no generated client",
      patterns: ["**/db/**", "@prisma/*"],
    },
    {
      files: ["src/domain/**"],
      message: "src/domain knows nothing of Telegram or of the bot and job layers above it",
      patterns: ["grammy", "grammy/*", "@grammyjs/*", "**/bot/**", "**/jobs/**"],
    },
    {
      files: ["src/brokers/**", "src/market/**"],
      message: "brokers and market data sit below the domain (errors come from src/lib)",
      patterns: ["**/domain/**", "**/bot/**", "**/jobs/**", "grammy", "@grammyjs/*"],
    },
    {
      // the strategies and their contract; the backtester (src/strategies/backtest) may reuse the
      // paper venue's pure matching and pricing, so a backtest fills as paper trading does
      files: ["src/strategies/*.ts", "src/strategies/kinds/**"],
      message: "a strategy is a pure function: no database, broker, Telegram or jobs",
      patterns: ["**/db/**", "@prisma/*", "**/brokers/**", "**/bot/**", "**/jobs/**", "grammy"],
    },
    {
      files: ["src/lib/**"],
      message: "src/lib is the bottom layer: it imports nothing of the app",
      patterns: [
        "**/db/**",
        "**/domain/**",
        "**/bot/**",
        "**/jobs/**",
        "**/brokers/**",
        "**/market/**",
        "**/ops/**",
        "**/reports/**",
        "**/strategies/**",
        "**/config.ts",
        "**/logger.ts",
        "grammy",
        "@grammyjs/*",
        "@prisma/*",
      ],
    },
    {
      files: [
        "src/jobs/**",
        "src/db/**",
        "src/ops/**",
        "src/reports/**",
        "src/strategies/backtest/**",
      ],
      message: "the composition root wires these layers; they never import it back",
      patterns: [],
    },
  ]),
  {
    // the services' database and clock handle is for the composition root, jobs and tests: the
    // bot reaches data only through service methods (imports alone would not catch `services.ctx`)
    files: ["src/bot/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='services'][property.name='ctx']",
          message: "src/bot calls domain services; it does not reach into their database handle",
        },
        {
          selector: "MemberExpression[object.property.name='services'][property.name='ctx']",
          message: "src/bot calls domain services; it does not reach into their database handle",
        },
      ],
    },
  },
  prettier,
);

/**
 * One `no-restricted-imports` rule per layer: the import patterns its files may not use, and the
 * composition root. (A later config object's rule replaces an earlier one for the same file, so
 * each zone carries the whole list and a file falls in one zone only, or in the later zone.)
 */
function layerZones(zones) {
  return zones.map(({ files, message, patterns }) => ({
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            ...(patterns.length ? [{ group: patterns, message }] : []),
            {
              group: COMPOSITION_ROOT,
              message: "src/app.ts and src/wiring are the composition root: no layer imports them",
            },
          ],
        },
      ],
    },
  }));
}
