import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, isEnvError, loadEnv, parseEnv, selectModelProvider } from "./env";

const cwd = "/srv/draftgate";

function parseError(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source, cwd);
  } catch (error) {
    if (isEnvError(error)) return error;
    throw error;
  }
  throw new Error("expected parseEnv to throw");
}

describe("parseEnv", () => {
  it("applies defaults when nothing is set", () => {
    const env = parseEnv({}, cwd);
    expect(env).toMatchObject({
      DATABASE_FILE: path.join(cwd, "data", "draftgate.db"),
      PORT: 3000,
      LOG_LEVEL: "info",
      AZURE_OPENAI_API_VERSION: "2024-10-21",
      OPENAI_MODEL: "gpt-4o-mini",
      MODEL_TIMEOUT_MS: 60_000,
      MODEL_MAX_RETRIES: 3,
      MODEL_CONCURRENCY: 3,
      TIMER_TICK_MS: 5_000,
      MODEL_MAX_COMPLETION_TOKENS: 1_024,
      RATE_LIMIT_BRIEFS_PER_MINUTE: 30,
      RATE_LIMIT_ANSWERS_PER_MINUTE: 120,
      RATE_LIMIT_RESUMES_PER_MINUTE: 60,
      RATE_LIMIT_SIGN_INS_PER_MINUTE: 10,
    });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.AZURE_OPENAI_ENDPOINT).toBeUndefined();
  });

  it("reads limits, with 0 turning a rate limit off and at least one model call at once", () => {
    expect(parseEnv({ MODEL_CONCURRENCY: "1", RATE_LIMIT_BRIEFS_PER_MINUTE: "0" }, cwd)).toMatchObject({
      MODEL_CONCURRENCY: 1,
      RATE_LIMIT_BRIEFS_PER_MINUTE: 0,
    });
    expect(() => parseEnv({ MODEL_CONCURRENCY: "0" }, cwd)).toThrow(/MODEL_CONCURRENCY: must be at least 1/);
  });

  it("reads sign-in settings: APP_URL from the port by default, host and group lists, OIDC issuer and client together", () => {
    expect(parseEnv({ PORT: "4100" }, cwd)).toMatchObject({
      APP_URL: "http://localhost:4100",
      ALLOWED_HOSTS: [],
      OIDC_ADMIN_GROUPS: [],
      OIDC_DISPLAY_NAME: "Company sign-in",
    });
    expect(
      parseEnv(
        {
          APP_URL: "https://drafts.example.com/",
          ALLOWED_HOSTS: "a.internal, b.internal:3000,",
          OIDC_REVIEWER_GROUPS: "editors,marketing",
        },
        cwd,
      ),
    ).toMatchObject({
      APP_URL: "https://drafts.example.com",
      ALLOWED_HOSTS: ["a.internal", "b.internal:3000"],
      OIDC_REVIEWER_GROUPS: ["editors", "marketing"],
    });
    expect(parseError({ OIDC_ISSUER: "https://login.example.com" }).variables).toEqual(["OIDC_CLIENT_ID"]);
    expect(parseError({ BETTER_AUTH_SECRET: "too-short" }).variables).toEqual(["BETTER_AUTH_SECRET"]);
  });

  it("treats empty strings as unset so defaults still apply", () => {
    const env = parseEnv({ PORT: "", LOG_LEVEL: "  ", OPENAI_API_KEY: "" }, cwd);
    expect(env.PORT).toBe(3000);
    expect(env.LOG_LEVEL).toBe("info");
    expect(env.OPENAI_API_KEY).toBeUndefined();
  });

  it("coerces numbers and resolves a relative database path against cwd", () => {
    const env = parseEnv(
      { PORT: "4123", MODEL_TIMEOUT_MS: "5000", MODEL_MAX_RETRIES: "0", DATABASE_FILE: "tmp/x.db" },
      cwd,
    );
    expect(env.PORT).toBe(4123);
    expect(env.MODEL_TIMEOUT_MS).toBe(5000);
    expect(env.MODEL_MAX_RETRIES).toBe(0);
    expect(env.DATABASE_FILE).toBe(path.join(cwd, "tmp", "x.db"));
  });

  it("keeps an absolute database path and :memory: as given", () => {
    expect(parseEnv({ DATABASE_FILE: "/var/db/a.db" }, cwd).DATABASE_FILE).toBe("/var/db/a.db");
    expect(parseEnv({ DATABASE_FILE: ":memory:" }, cwd).DATABASE_FILE).toBe(":memory:");
  });

  it("ignores unrelated variables", () => {
    expect(() => parseEnv({ HOME: "/root", SOMETHING_ELSE: "x" }, cwd)).not.toThrow();
  });

  it("lists every bad variable in one error without echoing values", () => {
    const error = parseError({
      PORT: "abc",
      LOG_LEVEL: "loud",
      MODEL_MAX_RETRIES: "-1",
      OPENAI_BASE_URL: "not a url",
      OPENAI_API_KEY: "sk-secret-value",
    });
    expect(error.code).toBe("ENV_INVALID");
    expect(error.variables).toEqual(
      expect.arrayContaining(["PORT", "LOG_LEVEL", "MODEL_MAX_RETRIES", "OPENAI_BASE_URL"]),
    );
    expect(error.message).toMatch(/PORT: must be a whole number/);
    expect(error.message).toMatch(/LOG_LEVEL: must be one of/);
    expect(error.message).toMatch(/MODEL_MAX_RETRIES: must be at least 0/);
    expect(error.message).toMatch(/OPENAI_BASE_URL: must be an http\(s\) URL/);
    expect(error.message).not.toContain("sk-secret-value");
    expect(error.message).not.toContain("not a url");
  });

  it("rejects a half-configured Azure deployment", () => {
    const error = parseError({ AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com" });
    expect(error.variables).toEqual(["AZURE_OPENAI_CHAT_DEPLOYMENT_NAME"]);
  });
});

describe("selectModelProvider", () => {
  it("selects Azure when endpoint and deployment are set, even with OpenAI settings present", () => {
    const env = parseEnv(
      {
        AZURE_OPENAI_ENDPOINT: "https://example.openai.azure.com",
        AZURE_OPENAI_CHAT_DEPLOYMENT_NAME: "gpt-4o",
        OPENAI_API_KEY: "sk-x",
      },
      cwd,
    );
    expect(selectModelProvider(env)).toBe("azure-openai");
  });

  it("selects OpenAI when an API key or a base URL is set", () => {
    expect(selectModelProvider(parseEnv({ OPENAI_API_KEY: "sk-x" }, cwd))).toBe("openai");
    expect(selectModelProvider(parseEnv({ OPENAI_BASE_URL: "http://127.0.0.1:8080/v1" }, cwd))).toBe("openai");
  });

  it("falls back to the offline writer when no model is configured", () => {
    expect(selectModelProvider(parseEnv({}, cwd))).toBe("offline");
  });
});

describe("loadEnv", () => {
  it("reads .env from cwd but lets the real environment win", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftgate-env-"));
    try {
      fs.writeFileSync(path.join(dir, ".env"), "PORT=4000\nOPENAI_MODEL=from-file\nLOG_LEVEL=debug\n");
      const processEnv = { PORT: "5000" };
      const env = loadEnv(dir, processEnv);
      expect(env.PORT).toBe(5000);
      expect(env.OPENAI_MODEL).toBe("from-file");
      expect(env.LOG_LEVEL).toBe("debug");
      expect(processEnv).toEqual({ PORT: "5000" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("works without a .env file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "draftgate-env-"));
    try {
      expect(loadEnv(dir, {}).DATABASE_FILE).toBe(path.join(dir, "data", "draftgate.db"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
