import { getEnv, type Env } from "@/lib/env";
import { createChatClient, describeModelConfig, type ModelConfig } from "@/lib/llm";
import { logger } from "@/lib/logger";
import { createSmtpSender } from "@/lib/notifications/email";
import { OfflineWriter } from "@/lib/release-notes";
import { openSqliteStore } from "@/db/sqlite-store";
import type { Store } from "@/db/store";
import { DraftgateService } from "./draftgate-service";
import { isExpectedError } from "./errors";

export { DraftgateService } from "./draftgate-service";
export { PeopleService, roleFromGroups, INVITATION_TTL_MS, type PeopleDirectory } from "./people-service";
export { roles, hasPermission, type Actor, type Role, type SignInMethod, type Permission } from "./actor";
export { checkPassword, MIN_PASSWORD_LENGTH } from "./password-policy";
export * from "./dto";
export type { CatchUp, LiveSnapshot } from "./run-event-log";
export {
  ServiceError,
  isServiceError,
  isExpectedError,
  type ServiceErrorCode,
  type ExpectedWorkflowErrorCode,
} from "./errors";
export { DEFAULT_ACTION_LIMITS, type ActionLimitConfig } from "./action-limits";
export { draftSha256, DECISION_KINDS, type DecisionKind } from "./review-decisions";
export { pendingDraftsOf } from "./run-views";
export { NOTIFICATION_KINDS, NOTIFICATION_KIND_LABELS, type NotificationKind } from "@/lib/notifications/events";

/** The model settings of the environment, as the model clients take them. */
export function modelConfigFromEnv(env: Env): ModelConfig {
  return {
    azureEndpoint: env.AZURE_OPENAI_ENDPOINT,
    azureDeployment: env.AZURE_OPENAI_CHAT_DEPLOYMENT_NAME,
    azureApiVersion: env.AZURE_OPENAI_API_VERSION,
    azureApiKey: env.AZURE_OPENAI_API_KEY,
    openaiApiKey: env.OPENAI_API_KEY,
    openaiModel: env.OPENAI_MODEL,
    openaiBaseUrl: env.OPENAI_BASE_URL,
    timeoutMs: env.MODEL_TIMEOUT_MS,
    offlineWriterDelayMs: env.OFFLINE_WRITER_DELAY_MS,
    maxCompletionTokens: env.MODEL_MAX_COMPLETION_TOKENS,
  };
}

/** PostgreSQL's side, loaded by {@link prepareDatabase} when DATABASE_URL is set (SQLite processes never load it). */
let postgres: typeof import("./postgres-store") | undefined;

/**
 * Brings the environment's database up to date before a process serves: PostgreSQL's migrations run here, one
 * process at a time (a SQLite file is migrated when it is opened). Every entry point calls it first.
 */
export async function prepareDatabase(env: Env = getEnv()): Promise<void> {
  if (!env.DATABASE_URL) return;
  postgres ??= await import("./postgres-store");
  await postgres.migrateDatabase(env.DATABASE_URL);
}

/** The environment's database: PostgreSQL when DATABASE_URL is set (after {@link prepareDatabase}), else the SQLite file. */
export function openStoreFromEnv(env: Env, options: { databaseFile?: string } = {}): Store {
  if (env.DATABASE_URL) {
    if (!postgres) throw new Error("DATABASE_URL is set: call prepareDatabase() before opening the store");
    return postgres.openPostgresStore(env.DATABASE_URL, (error) =>
      logger.warn({ err: error }, "live events: the LISTEN connection failed; reconnecting"),
    );
  }
  return openSqliteStore(options.databaseFile ?? env.DATABASE_FILE);
}

/** Builds the service for this process from the environment: one database connection (or pool), one writer. */
export function createServiceFromEnv(env: Env = getEnv(), options: { databaseFile?: string } = {}): DraftgateService {
  const store = openStoreFromEnv(env, options);
  const modelConfig = modelConfigFromEnv(env);
  const chatClient = createChatClient(modelConfig, { offlineWriter: (options) => new OfflineWriter(options) });
  const database =
    store.dialect === "postgres" ? "postgres (DATABASE_URL)" : (options.databaseFile ?? env.DATABASE_FILE);
  logger.info({ writer: chatClient.info.label, database }, `writer: ${describeModelConfig(modelConfig)}`);
  return new DraftgateService({
    store,
    chatClient,
    leaseMs: env.RUN_LEASE_MS,
    handsOverRuns: env.DRAFTGATE_ROLE === "web",
    // a stopped process's claim on firing timers lapses like its claim on runs
    timerLeaseMs: env.RUN_LEASE_MS,
    retry: { maxAttempts: env.MODEL_MAX_RETRIES + 1 },
    modelConcurrency: env.MODEL_CONCURRENCY,
    limits: {
      submit: env.RATE_LIMIT_BRIEFS_PER_MINUTE,
      answer: env.RATE_LIMIT_ANSWERS_PER_MINUTE,
      resume: env.RATE_LIMIT_RESUMES_PER_MINUTE,
      "sign-in": env.RATE_LIMIT_SIGN_INS_PER_MINUTE,
    },
    // the raw cause (provider messages, addresses, socket errors) is for the log; the run page says it in words
    notifications: {
      senders: {
        appUrl: env.APP_URL,
        ...(env.SMTP_URL ? { email: createSmtpSender({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM }) } : {}),
      },
      mailFrom: env.MAIL_FROM,
      // addresses are in the outbox for admins; the log says what kind went where, and why an attempt failed
      onAttempt: (attempt) =>
        attempt.outcome === "delivered"
          ? logger.info(attempt, "notification delivered")
          : logger.warn(
              attempt,
              `notification ${attempt.outcome === "dead" ? "gave up" : "will retry"}: ${attempt.error}`,
            ),
    },
    onRunFailed: (runId, failure) =>
      logger.warn({ runId, code: failure.code, detail: failure.detail }, `run failed: ${failure.message}`),
    onUnexpectedError: (error, context) => {
      if (!isExpectedError(error)) logger.error({ err: error, ...context }, "unexpected error");
    },
  });
}

const globalForService = globalThis as unknown as { draftgateService?: DraftgateService };

/** The process-wide service (one per server process; survives Next's dev reloads). */
export function getService(): DraftgateService {
  globalForService.draftgateService ??= createServiceFromEnv();
  return globalForService.draftgateService;
}
