import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// Proves the STYLE.md import boundaries are enforced by eslint.config.mjs, not just written down.
const cwd = path.resolve(import.meta.dirname, "..");

async function restrictedImportErrors(eslint: ESLint, code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports" && m.severity === 2);
}

describe("import boundaries", () => {
  let eslint: ESLint;
  beforeAll(() => {
    // import/no-cycle cannot build its module graph for a file that is not on disk (it crashes), and this
    // test is about no-restricted-imports only.
    eslint = new ESLint({ cwd, overrideConfig: { rules: { "import/no-cycle": "off" } } });
  });

  it("forbids lib/workflow from importing better-sqlite3", async () => {
    const errors = await restrictedImportErrors(
      eslint,
      'import Database from "better-sqlite3";\n',
      "lib/workflow/x.ts",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/framework-agnostic engine/);
  });

  it.each([
    'import { NextResponse } from "next/server";',
    'import { useState } from "react";',
    'import { eq } from "drizzle-orm";',
    'import OpenAI from "openai";',
    'import { DefaultAzureCredential } from "@azure/identity";',
    'import { getDb } from "@/db/client";',
    'import { getEnv } from "@/lib/env";',
    'import { startRun } from "../services/runs";',
    'import { x } from "../../db/client";',
  ])("forbids lib/workflow from: %s", async (code) => {
    // A relative escape may be reported twice (folder glob and escape regex); one is enough.
    expect((await restrictedImportErrors(eslint, `${code}\n`, "lib/workflow/x.ts")).length).toBeGreaterThan(0);
  });

  it("lets lib/workflow import itself, including from a subfolder", async () => {
    expect(
      await restrictedImportErrors(
        eslint,
        'import { z } from "zod";\nimport { a } from "./errors";\n',
        "lib/workflow/x.ts",
      ),
    ).toEqual([]);
    expect(
      await restrictedImportErrors(eslint, 'import { a } from "../errors";\n', "lib/workflow/testing/x.ts"),
    ).toEqual([]);
    expect(
      await restrictedImportErrors(eslint, 'import { a } from "../../env";\n', "lib/workflow/testing/x.ts"),
    ).not.toEqual([]);
  });

  it("forbids components from reaching the database or services", async () => {
    expect(
      await restrictedImportErrors(eslint, 'import { getDb } from "@/db/client";\n', "components/runs/x.tsx"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        eslint,
        'import { listRuns } from "@/lib/services/runs";\n',
        "components/runs/x.tsx",
      ),
    ).toHaveLength(1);
  });

  it("keeps next/react and services out of db/ and lib/release-notes", async () => {
    expect(await restrictedImportErrors(eslint, 'import { cache } from "react";\n', "db/x.ts")).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import { listRuns } from "@/lib/services/runs";\n', "db/x.ts"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import { headers } from "next/headers";\n', "lib/release-notes/x.ts"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import { getDb } from "@/db/client";\n', "lib/release-notes/x.ts"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import OpenAI from "openai";\n', "lib/release-notes/x.ts"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        eslint,
        'import OpenAI from "openai";\n',
        "lib/release-notes/writers/openai-writer.ts",
      ),
    ).toEqual([]);
  });

  it("sends routes through services and the engine's public index", async () => {
    expect(
      await restrictedImportErrors(eslint, 'import { getDb } from "@/db/client";\n', "app/(dashboard)/runs/page.tsx"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        eslint,
        'import { runSuperstep } from "@/lib/workflow/runner";\n',
        "lib/actions/resume-run.ts",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(
        eslint,
        'import { WorkflowError } from "@/lib/workflow";\n',
        "app/api/runs/route.ts",
      ),
    ).toEqual([]);
    expect(
      await restrictedImportErrors(
        eslint,
        'import { listRuns } from "@/lib/services/runs";\n',
        "app/(dashboard)/runs/page.tsx",
      ),
    ).toEqual([]);
  });

  it("lets db/, lib/stores and lib/llm reach the engine only through its front door", async () => {
    for (const file of ["db/x.ts", "db/pg/x.ts", "lib/stores/x.ts", "lib/llm/x.ts"]) {
      expect(
        await restrictedImportErrors(eslint, 'import { CheckpointRecord } from "@/lib/workflow";\n', file),
      ).toEqual([]);
      expect(
        await restrictedImportErrors(
          eslint,
          'import { makeRecord } from "@/lib/workflow/testing";\n',
          `${file.replace(/\.ts$/, ".test.ts")}`,
        ),
      ).toEqual([]);
      expect(
        await restrictedImportErrors(eslint, 'import { encodeCheckpoint } from "@/lib/workflow/codec";\n', file),
      ).toHaveLength(1);
      expect(
        await restrictedImportErrors(
          eslint,
          'import { makeRecord } from "@/lib/workflow/testing/storage-contract";\n',
          file,
        ),
      ).toHaveLength(1);
    }
    expect(
      await restrictedImportErrors(
        eslint,
        'import type { ChatClient } from "../workflow/chat-client";\n',
        "lib/llm/x.ts",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import { toHeader } from "../../lib/workflow/records";\n', "db/pg/x.ts"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import Database from "better-sqlite3";\n', "lib/stores/x.ts"),
    ).toHaveLength(1);
    expect(
      await restrictedImportErrors(eslint, 'import { briefSchema } from "@/lib/release-notes";\n', "lib/llm/x.ts"),
    ).toHaveLength(1);
  });
});
