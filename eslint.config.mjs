import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import regexp from "eslint-plugin-regexp";

// Import boundaries from STYLE.md ("Boundaries: who may import whom"), one `no-restricted-imports` block per
// folder. ESLint replaces (does not merge) a rule's options when several blocks match one file, so every file
// must match exactly one boundary block: keep the `files` globs below disjoint.

const FRAMEWORK = ["next", "next/**", "react", "react/**", "react-dom", "react-dom/**"];
const DATABASE = ["drizzle-orm", "drizzle-orm/**", "better-sqlite3"];
const MODEL_SDKS = ["openai", "openai/**", "@azure/**"];

/** Both spellings of an app folder: the `@/` alias and a relative path reaching it (`../../db/client`). */
function appFolders(...folders) {
  return folders.flatMap((folder) => [`@/${folder}`, `@/${folder}/**`, `**/${folder}`, `**/${folder}/**`]);
}

function boundary(name, files, { group, message, regex, ignores }) {
  const patterns = [{ group, message }];
  if (regex) patterns.push({ regex, message: "relative import escapes lib/workflow; the engine imports only itself" });
  return {
    name: `draftgate/boundaries/${name}`,
    files,
    ...(ignores ? { ignores } : {}),
    rules: { "no-restricted-imports": ["error", { patterns }] },
  };
}

const WORKFLOW_MESSAGE =
  "lib/workflow is the framework-agnostic engine: only the standard library, small pure libraries and lib/workflow itself (STYLE.md Boundaries).";
const WORKFLOW_GROUP = [
  ...FRAMEWORK,
  ...DATABASE,
  ...MODEL_SDKS,
  // Any other app folder, by alias...
  "@/**",
  "!@/lib/workflow",
  "!@/lib/workflow/**",
  // ...or by a relative path (the regex below also catches any other escape).
  ...appFolders("app", "components", "db", "lib/services", "lib/release-notes", "lib/llm", "lib/actions", "lib/cli"),
];

// One block per directory depth under lib/workflow, so that `../` is allowed exactly as far as it stays inside.
const workflowBlocks = [0, 1, 2, 3].map((depth) =>
  boundary(`lib/workflow(depth ${depth})`, [`lib/workflow/${"*/".repeat(depth)}*.{ts,tsx,mts,js,mjs}`], {
    group: WORKFLOW_GROUP,
    message: WORKFLOW_MESSAGE,
    regex: `^(\\.\\./){${depth + 1},}`,
  }),
);

// Regular expressions must run in linear time: many run on briefs, drafts, guidance and names that people and
// models write, and one quadratic pattern (`/[\s.!?]+$/` on 20,000 characters of ".!") blocks the event loop
// for about a second. Only these two rules of the plugin: its recommended set also flags style in other
// folders. scripts/lint-regexp.test.ts proves they fire.
const regexpBlocks = [
  {
    name: "draftgate/regexp",
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": "error",
      "regexp/no-super-linear-move": "error",
    },
  },
];

/**
 * The engine's front door: outside lib/workflow, code imports `@/lib/workflow` (its index) and, in tests,
 * `@/lib/workflow/testing` (that folder's index), never a module inside them, by alias or by relative path.
 */
const ENGINE_INTERNALS = [
  "@/lib/workflow/*",
  "!@/lib/workflow/index",
  "!@/lib/workflow/testing",
  "**/workflow/*",
  "!**/workflow/index",
  "!**/workflow/testing",
  "@/lib/workflow/testing/*",
  "**/workflow/testing/*",
];
const ENGINE_INTERNALS_MESSAGE =
  "import the engine through its front door, `@/lib/workflow` (tests: `@/lib/workflow/testing`), never a module inside it.";

const releaseNotesGroup = [...FRAMEWORK, ...appFolders("db", "lib/services", "app", "components")];
const RELEASE_NOTES_MESSAGE =
  "lib/release-notes may import lib/workflow (and the LLM SDK only inside writers/), never next, react, db/ or lib/services (STYLE.md Boundaries).";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    name: "draftgate/general",
    files: ["**/*.{js,jsx,mjs,ts,tsx,mts,cts}"],
    // Don't parse packages' sources when building the import graph: cuts import/no-cycle from ~5 s to ~0.4 s.
    settings: { "import/ignore": ["node_modules"] },
    rules: {
      // Circular imports make module init order fragile; external packages are not followed (speed).
      "import/no-cycle": ["error", { ignoreExternal: true }],
      // A leading underscore marks a deliberately unused binding (e.g. `{ body: _body, ...rest }`).
      "@typescript-eslint/no-unused-vars": [
        "warn",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  ...regexpBlocks,
  ...workflowBlocks,
  boundary("lib/release-notes", ["lib/release-notes/**"], {
    ignores: ["lib/release-notes/writers/**"],
    group: [...releaseNotesGroup, ...MODEL_SDKS],
    message: RELEASE_NOTES_MESSAGE,
  }),
  boundary("lib/release-notes/writers", ["lib/release-notes/writers/**"], {
    group: releaseNotesGroup,
    message: RELEASE_NOTES_MESSAGE,
  }),
  boundary("components", ["components/**"], {
    group: [...DATABASE, ...appFolders("db", "lib/services")],
    message: "components are presentational: props in, callbacks out; no db/ or lib/services (STYLE.md Boundaries).",
  }),
  boundary("db", ["db/**"], {
    group: [
      ...FRAMEWORK,
      ...appFolders("lib/services", "app", "components", "lib/release-notes", "lib/llm"),
      ...ENGINE_INTERNALS,
    ],
    message: `db/ may import drizzle, the database drivers and the engine, never next, react, lib/services or the workflows; ${ENGINE_INTERNALS_MESSAGE}`,
  }),
  boundary("lib/stores", ["lib/stores/**"], {
    group: [
      ...FRAMEWORK,
      ...DATABASE,
      ...MODEL_SDKS,
      ...appFolders("db", "lib/services", "app", "components", "lib/release-notes", "lib/llm"),
      ...ENGINE_INTERNALS,
    ],
    message: `lib/stores holds engine stores on plain files: no framework, database or model SDK; ${ENGINE_INTERNALS_MESSAGE}`,
  }),
  boundary("lib/llm", ["lib/llm/**"], {
    group: [
      ...FRAMEWORK,
      ...DATABASE,
      ...appFolders("db", "lib/services", "app", "components", "lib/release-notes"),
      ...ENGINE_INTERNALS,
    ],
    message: `lib/llm adapts model SDKs to the engine's ChatClient: no framework, database, services or workflows; ${ENGINE_INTERNALS_MESSAGE}`,
  }),
  boundary("lib/notifications", ["lib/notifications/**"], {
    // `@/components` by alias only: a `**/components` pattern would also catch @react-email/components
    group: [
      ...DATABASE,
      "next",
      "next/**",
      ...appFolders("db", "lib/services", "app"),
      "@/components",
      "@/components/**",
    ],
    message:
      "lib/notifications renders and sends messages (React only for email templates): no db/, lib/services, next or routes (STYLE.md Boundaries).",
  }),
  boundary("lib/services", ["lib/services/**"], {
    group: ["react", "react/**", "react-dom", "react-dom/**", ...appFolders("components", "app")],
    message: "lib/services is server-only use cases: no react, components or routes (STYLE.md Boundaries).",
  }),
  boundary("app, lib/actions, lib/cli, lib/http", ["app/**", "lib/actions/**", "lib/cli/**", "lib/http/**"], {
    group: [...DATABASE, ...appFolders("db"), "@/lib/workflow/*", "!@/lib/workflow/index", "!@/lib/workflow/index.ts"],
    message:
      "routes, actions and the CLI go through lib/services and import the engine only from @/lib/workflow (its index), never db/ directly (STYLE.md Boundaries).",
  }),
  // Layout is Prettier's (npm run lint checks it): rules that would disagree with it are off.
  prettier,
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "next-env.d.ts",
    "test-results/**",
    "playwright-report/**",
    "reports/**",
    "db/migrations/**",
    "bench/results/**",
    "data/**",
    ".e2e/**",
    // The CLI bundle built by scripts/cli.mjs.
    ".cli/**",
  ]),
]);
