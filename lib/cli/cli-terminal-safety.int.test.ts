import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "@/tests/support/fake-openai-server";
import { makeTempDir } from "@/tests/support/temp-database";
import { cliEnv, runCli, type ChildEnv } from "./testing/spawn-cli";

// A model draft that would take over the terminal printing it: an OSC 8 link to another address, a clear
// screen, and a right-to-left override. The CLI prints the draft under review, the reviewer's piped answer
// (echoed, as in a transcript) and the published text.
const HOSTILE_REPLY =
  "Meet the \u001b]8;;http://evil\u0007grinder\u001b]8;;\u0007 that tunes itself.\u001b[2J Pre-order \u202etoday!";
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let temp: ReturnType<typeof makeTempDir>;
let server: FakeOpenAIServer;
let env: ChildEnv;

beforeEach(async () => {
  temp = makeTempDir("draftgate-cli-safety-");
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

describe("draftgate CLI and text from people and models", () => {
  it("prints a draft and echoed guidance carrying escape sequences and a bidi override as plain text", async () => {
    server.respondWith({ kind: "reply", text: HOSTILE_REPLY }); // the first draft; the revision quotes the guidance

    const result = await runCli(
      ["run", "Introduce the smart coffee grinder"],
      env,
      "Mention \u001b[2Jfree \u001b]8;;http://evil\u0007shipping\u202e\napprove\n",
    );

    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stderr).not.toMatch(UNSAFE);
    // The services may already have removed the control characters (leaving what followed them as text);
    // either way the words arrive and nothing reaches the terminal that it would obey.
    expect(result.stdout).toMatch(/Draft:\n---\nMeet the .*grinder.* that tunes itself\..* Pre-order today!\n---/);
    expect(result.stdout).toContain("(or 'exit' to quit): Mention free shipping\n");
    expect(result.stdout).toMatch(/Workflow completed with: .*free .*shipping\n/);
  });
});
