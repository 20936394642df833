import fs from "node:fs";
import path from "node:path";
import { config as loadDotenv } from "dotenv";
import { z } from "zod";

/**
 * The process environment, parsed once with zod. Nothing else in the app reads `process.env`:
 * call {@link getEnv} (memoized) or, in tests, the pure {@link parseEnv}.
 */

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// Empty strings ("KEY=" in a .env file) mean "not set", so defaults apply instead of failing validation.
const optionalText = z.string().trim().min(1).optional();
const optionalUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional();

/** "a, b,c" → ["a", "b", "c"]; unset → []. */
const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

function integer(min: number, max: number) {
  return z.coerce
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

function envSchema(cwd: string) {
  return z
    .object({
      DATABASE_FILE: z
        .string()
        .trim()
        .min(1)
        // turbopackIgnore keeps data/*.db out of the build trace (STACK P8).
        .default(path.join(/* turbopackIgnore: true */ cwd, "data", "draftgate.db"))
        .transform((file) => (file === ":memory:" ? file : path.resolve(/* turbopackIgnore: true */ cwd, file))),
      /** PostgreSQL (`postgres://...`) instead of the SQLite file: for several web instances and workers. */
      DATABASE_URL: z
        .string()
        .trim()
        .regex(/^postgres(ql)?:\/\//, { error: "must be a postgres:// URL" })
        .optional()
        .or(z.literal("").transform(() => undefined)),
      PORT: integer(1, 65_535).default(3000),
      LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),

      AZURE_OPENAI_ENDPOINT: optionalUrl,
      AZURE_OPENAI_CHAT_DEPLOYMENT_NAME: optionalText,
      AZURE_OPENAI_API_VERSION: z.string().trim().min(1).default("2024-10-21"),
      AZURE_OPENAI_API_KEY: optionalText,

      OPENAI_API_KEY: optionalText,
      OPENAI_MODEL: z.string().trim().min(1).default("gpt-4o-mini"),
      OPENAI_BASE_URL: optionalUrl,

      MODEL_TIMEOUT_MS: integer(1, 3_600_000).default(60_000),
      MODEL_MAX_RETRIES: integer(0, 10).default(3),
      /** Pause per streamed chunk of the offline writer, so demos and crash tests can watch it write. */
      OFFLINE_WRITER_DELAY_MS: integer(0, 10_000).default(0),
      /** How long a process's claim on a run lasts without renewal; a crashed process's runs resume after it. */
      RUN_LEASE_MS: integer(1_000, 600_000).default(15_000),
      /**
       * `all` (default): this server answers requests and executes runs. `web`: it answers requests and stops each
       * run call after its durable first step; workers (`npm run worker`) execute the runs, fire timers and send
       * notifications.
       */
      DRAFTGATE_ROLE: z
        .enum(["all", "web"], { error: "must be all or web (workers start with npm run worker)" })
        .default("all"),
      /** How often a worker looks for runs to execute (runs a web instance handed over, or whose process died). */
      WORKER_POLL_MS: integer(20, 60_000).default(250),
      /** How often the server looks for due deadline timers (reminders, escalations, expiries). */
      TIMER_TICK_MS: integer(100, 3_600_000).default(5_000),
      /** Model calls this process makes at once; further runs wait, shown as queued, in order. */
      MODEL_CONCURRENCY: integer(1, 100).default(3),
      /** The longest reply a model call may produce (`max_completion_tokens`). */
      MODEL_MAX_COMPLETION_TOKENS: integer(16, 128_000).default(1_024),

      /** Per person and minute; 0 turns a limit off. */
      RATE_LIMIT_BRIEFS_PER_MINUTE: integer(0, 1_000_000).default(30),
      RATE_LIMIT_ANSWERS_PER_MINUTE: integer(0, 1_000_000).default(120),
      RATE_LIMIT_RESUMES_PER_MINUTE: integer(0, 1_000_000).default(60),
      /** Per email and per client address and minute, for sign-ins through the dashboard. */
      RATE_LIMIT_SIGN_INS_PER_MINUTE: integer(0, 1_000_000).default(10),
      /** Live event streams (GET /api/runs/:runId/events) one person may have open at once in this process. */
      SSE_MAX_STREAMS_PER_USER: integer(1, 10_000).default(5),
      /** Live event streams one run may have open at once in this process, whoever opened them. */
      SSE_MAX_STREAMS_PER_RUN: integer(1, 100_000).default(50),
      /** How long a live event stream stays open before the server ends it (the browser reconnects by itself). */
      SSE_MAX_LIFETIME_MS: integer(1_000, 86_400_000).default(600_000),
      /** Bytes a live event stream may have queued and unread before the server drops it (a client that stopped reading). */
      SSE_MAX_BUFFERED_BYTES: integer(1_024, 1_073_741_824).default(1_048_576),

      /** The URL people open; sign-in links and cookies are made for it. Default: http://localhost:PORT. */
      APP_URL: optionalUrl,
      /** More host names (besides APP_URL's and loopback) the server answers to, comma-separated. */
      ALLOWED_HOSTS: commaList,
      /** Signs session cookies; at least 32 characters. Unset: generated on first start beside the database file. */
      BETTER_AUTH_SECRET: z.string().trim().min(32, { error: "must be at least 32 characters" }).optional(),
      /** Requests per minute and client to the sign-in endpoints under /api/auth; 0 turns the limit off. */
      AUTH_RATE_LIMIT_PER_MINUTE: integer(0, 100_000).default(60),

      /** Where email notifications go out: `smtp://user:password@host:587` or `smtps://…:465`. Unset: no email. */
      SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
      /** The From of notification emails. */
      MAIL_FROM: z.string().trim().min(3).default("Draftgate <draftgate@localhost>"),

      /** OpenTelemetry: traces and metrics go over OTLP/HTTP here (the SDK reads the other OTEL_* variables). Unset: none. */
      OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,

      OIDC_ISSUER: optionalUrl,
      OIDC_CLIENT_ID: optionalText,
      OIDC_CLIENT_SECRET: optionalText,
      OIDC_DISPLAY_NAME: z.string().trim().min(1).default("Company sign-in"),
      OIDC_SCOPES: z.string().trim().min(1).default("openid email profile groups"),
      /** The ID-token claim holding the person's groups. */
      OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),
      OIDC_ADMIN_GROUPS: commaList,
      OIDC_REVIEWER_GROUPS: commaList,
    })
    .transform((env) => ({
      ...env,
      APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/(?<!\/)\/+$/, ""),
    }))
    .superRefine((env, ctx) => {
      if ((env.OIDC_ISSUER === undefined) !== (env.OIDC_CLIENT_ID === undefined)) {
        ctx.addIssue({
          code: "custom",
          path: [env.OIDC_ISSUER ? "OIDC_CLIENT_ID" : "OIDC_ISSUER"],
          message: "must be set together with " + (env.OIDC_ISSUER ? "OIDC_ISSUER" : "OIDC_CLIENT_ID"),
        });
      }
      // Half an Azure configuration would silently fall back to another writer; refuse it instead.
      const hasEndpoint = env.AZURE_OPENAI_ENDPOINT !== undefined;
      const hasDeployment = env.AZURE_OPENAI_CHAT_DEPLOYMENT_NAME !== undefined;
      if (hasEndpoint !== hasDeployment) {
        ctx.addIssue({
          code: "custom",
          path: [hasEndpoint ? "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME" : "AZURE_OPENAI_ENDPOINT"],
          message:
            "must be set together with " +
            (hasEndpoint ? "AZURE_OPENAI_ENDPOINT" : "AZURE_OPENAI_CHAT_DEPLOYMENT_NAME"),
        });
      }
    });
}

export type Env = z.infer<ReturnType<typeof envSchema>>;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown when the environment does not validate; the message lists every bad variable (never its value). */
export class EnvError extends Error {
  readonly code = "ENV_INVALID" as const;
  readonly variables: readonly string[];

  constructor(problems: readonly { variable: string; message: string }[]) {
    super(
      "Invalid environment variables (see .env.example):\n" +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join("\n"),
    );
    this.name = "EnvError";
    this.variables = [...new Set(problems.map((p) => p.variable))];
  }
}

export function isEnvError(error: unknown): error is EnvError {
  return error instanceof EnvError;
}

/**
 * Parses an environment-like record. Pure: reads neither `process.env` nor files.
 * @throws {EnvError} listing every invalid variable.
 */
export function parseEnv(source: Record<string, string | undefined>, cwd: string = process.cwd()): Env {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== "") cleaned[key] = value;
  }
  const result = envSchema(cwd).safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(environment)"),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/** Which writer the model settings select: Azure, then OpenAI(-compatible), else the offline writer. */
export type ModelProvider = "azure-openai" | "openai" | "offline";

export function selectModelProvider(env: Env): ModelProvider {
  if (env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_CHAT_DEPLOYMENT_NAME) return "azure-openai";
  if (env.OPENAI_API_KEY || env.OPENAI_BASE_URL) return "openai";
  return "offline";
}

/** Reads `<cwd>/.env` if present, without touching `process.env`. */
function readDotenvFile(cwd: string): Record<string, string> {
  const file = path.join(/* turbopackIgnore: true */ cwd, ".env");
  if (!fs.existsSync(file)) return {};
  const values: Record<string, string> = {};
  loadDotenv({ path: file, quiet: true, processEnv: values });
  return values;
}

/**
 * Parses `.env` in `cwd` (if present) overlaid by `processEnv`, whose values always win.
 * Never writes to `processEnv`. Exported for tests; app code calls {@link getEnv}.
 * @throws {EnvError} listing every invalid variable.
 */
export function loadEnv(cwd: string, processEnv: Record<string, string | undefined>): Env {
  return parseEnv({ ...readDotenvFile(cwd), ...processEnv }, cwd);
}

let cached: Env | undefined;

/**
 * The validated environment: `.env` (if present) overlaid by the real environment.
 * Parsed on first call and memoized for the life of the process.
 * @throws {EnvError} listing every invalid variable.
 */
export function getEnv(): Env {
  cached ??= loadEnv(process.cwd(), process.env);
  return cached;
}
