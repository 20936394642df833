import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import { cliEnv, runCli, type ChildEnv } from "./testing/spawn-cli";

const BRIEF = "Introduce our limited edition   smart coffee grinder";

let temp: ReturnType<typeof makeTempDir>;
let server: FakeOpenAIServer;
let env: ChildEnv;

beforeEach(async () => {
  temp = makeTempDir("draftgate-cli-model-");
  server = await startFakeOpenAIServer();
  env = cliEnv(temp.file("cli.db"), {
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_API_KEY: "test",
    MODEL_MAX_RETRIES: "0",
  });
});
afterEach(async () => {
  await server.close();
  temp.cleanup();
});

describe("draftgate CLI with a configured model endpoint", () => {
  it("names the OpenAI-compatible writer and sends it the SPEC §9 prompt with the writer instructions as system message", async () => {
    server.respondWith({ kind: "reply", text: "Meet the grinder that tunes itself. Pre-order today!" });

    const result = await runCli(["run", BRIEF], env, "approve\n");

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Writer: OpenAI-compatible · gpt-4o-mini$/m);
    expect(result.stdout).toContain("Draft:\n---\nMeet the grinder that tunes itself. Pre-order today!\n---");
    expect(result.stdout).toContain("Workflow completed with: Meet the grinder that tunes itself. Pre-order today!\n");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers["authorization"]).toBe("Bearer test");
    expect(server.requests[0]!.body).toMatchObject({
      stream: true,
      messages: [
        { role: "system", content: "Write concise, warm release notes that sound human and helpful." },
        {
          role: "user",
          content:
            "You are drafting product release notes. Summarize the brief below in two sentences. Keep it positive and end with a call to action.\n\nBRIEF: Introduce our limited edition smart coffee grinder.",
        },
      ],
    });
  });

  it("reports a model failure as one MODEL_ERROR line with the provider's message, keeps the checkpoint, and exits 1", async () => {
    server.respondWith({
      kind: "error",
      status: 400,
      message: "The model `gpt-4o-mini` does not exist",
      code: "model_not_found",
    });

    const result = await runCli(["run", BRIEF], env, null);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error \[MODEL_ERROR\]: The model provider refused the request\. \(.*HTTP 400: The model `gpt-4o-mini` does not exist\)\n$/,
    );
    expect(result.stderr).not.toMatch(/\n[ \t]+at /);
    expect(result.stdout).toMatch(/The last checkpoint is kept\. Retry from it with:\n {2}npm run cli -- resume \S+\n/);
  });
});
