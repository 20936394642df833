/**
 * Child processes for tests and benchmarks: a free loopback port, an environment that can never reach a real
 * model, and an HTTP server process started in its own process group and awaited until healthy
 * (scripts/lib/http-process.ts, which `npm run cluster` uses too).
 */
// relative: playwright.config.ts loads this file, before any path alias applies
export { freePort } from "../../scripts/lib/free-port";
export { startHttpProcess, type HttpProcess } from "../../scripts/lib/http-process";

const MODEL_VARIABLES = [
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME",
  "AZURE_OPENAI_API_KEY",
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_MODEL",
];

/**
 * This process's environment (PATH, HOME...) without model, database, port or test-runner settings, with the
 * model variables set to "" so that a developer's `.env` cannot select a real model either (lib/env lets real
 * variables win over `.env` and treats "" as unset): the child writes with the offline writer unless told otherwise.
 */
export function modelFreeEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && !/^(AZURE_|OPENAI_|MODEL_|DATABASE_FILE$|PORT$|NODE_OPTIONS$|VITEST)/.test(entry[0]),
  );
  return {
    ...Object.fromEntries(inherited),
    ...Object.fromEntries(MODEL_VARIABLES.map((name) => [name, ""])),
    ...overrides,
  };
}
