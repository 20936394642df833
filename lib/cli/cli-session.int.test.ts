import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedPeople } from "@/tests/support/seed-people";
import { makeTempDir } from "@/tests/support/temp-database";
import { cliEnv, runCli, startCli, type ChildEnv } from "./testing/spawn-cli";

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price, highlight the sensor that auto-adjusts the grind, and invite customers to pre-order on the website.";
const QUESTION = "Type 'approve', 'edit', 'reject <reason>' or revision guidance (or 'exit' to quit): ";
const REFUSAL = "Selected checkpoint already reflects a completed workflow; nothing to resume.";

let temp: ReturnType<typeof makeTempDir>;
let env: ChildEnv;

beforeEach(async () => {
  temp = makeTempDir("draftgate-cli-");
  env = cliEnv(temp.file("cli.db"));
  await seedPeople(temp.file("cli.db"), [
    { name: "rita", role: "reviewer" },
    { name: "ana", role: "reviewer" },
    { name: "bo", role: "reviewer" },
  ]);
});
afterEach(() => temp.cleanup());

/** Starts a run and leaves it awaiting review (stdin ends at once). */
async function pausedRun() {
  const result = await runCli(["run", BRIEF], env, "");
  expect(result.code).toBe(2);
  const runId = /^Run: (\S+)$/m.exec(result.stdout)?.[1];
  const checkpointId = /npm run cli -- resume (\S+)/.exec(result.stdout)?.[1];
  const requestId = /^request_id: (\S+)$/m.exec(result.stdout)?.[1];
  const draft = /Draft:\n---\n([\s\S]*?)\n---/.exec(result.stdout)?.[1];
  if (!runId || !checkpointId || !requestId || !draft) throw new Error(`unexpected output:\n${result.stdout}`);
  return { runId, checkpointId, requestId, draft, output: result.stdout };
}

function checkpointLines(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line.startsWith("- ") && line.includes("| superstep="));
}

describe("draftgate CLI (offline writer, piped stdin)", () => {
  it("runs a brief, revises on guidance, and on 'exit' says how to resume (exit code 2)", async () => {
    const result = await runCli(["run", BRIEF], env, "Mention free shipping.\nexit\n");

    expect(result.stderr).toBe("");
    expect(result.code).toBe(2);
    const out = result.stdout;
    expect(out).toMatch(/^Writer: Offline writer — deterministic, no model \(offline: .*\)$/m);
    expect(out).toContain("=== Human approval needed ===\nrequest_id: ");
    expect(out).toContain(
      "Iteration: 1\nReview the draft. Reply 'approve' or provide edit instructions.\nDraft:\n---\n",
    );
    expect(out).toContain(`${QUESTION}Mention free shipping.\n`);
    expect(out).toMatch(/Iteration: 2\n[\s\S]*free shipping[\s\S]*\n---\n/);
    expect(out).toContain(`${QUESTION}exit\nStopped by user.\n`);
    const checkpointId = /The run is paused at checkpoint (\S+) \(awaiting human response/.exec(out)?.[1];
    expect(checkpointId).toBeDefined();
    expect(out).toContain(`Resume later with:\n  npm run cli -- resume ${checkpointId}\n`);
    // the log (JSON lines on stdout) stays quiet in the CLI even at LOG_LEVEL=info
    expect(out).not.toContain('"level"');
  });

  it("lists a run's checkpoints oldest first, its newest awaiting human response", async () => {
    const { runId, requestId } = await pausedRun();

    const result = await runCli(["list", "--run", runId], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Checkpoint summary of run ${runId} (oldest first):`);
    const lines = checkpointLines(result.stdout);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const supersteps = lines.map((line) => Number(/superstep=(\d+)/.exec(line)?.[1]));
    expect(supersteps).toEqual([...supersteps].sort((a, b) => a - b));
    expect(lines[0]).toMatch(
      /kind=initial \| targets=\[prepare_brief\] \| states=\[\] \| status=awaiting next superstep/,
    );
    const head = lines.at(-1)!;
    expect(head).toContain("status=awaiting human response");
    expect(head).toContain(`pending_request_id=${requestId}`);
    expect(head).toMatch(/draft_preview=Introducing our limited edition smart coffee grinder/);
    expect(head).toMatch(/\| head$/);
  });

  it("resumes from a checkpoint in a fresh process with --approve and publishes; list then shows it completed", async () => {
    const { runId, checkpointId, draft } = await pausedRun();

    const resumed = await runCli(["resume", checkpointId, "--approve", "--as", "rita@example.com"], env, null);

    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Resuming from checkpoint: ${checkpointId}\n`);
    expect(resumed.stdout).toContain(`Workflow completed with: ${draft}\n`);

    const listed = await runCli(["list"], env, null);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^- ${runId} \\| status=completed \\| iteration=1 \\|`, "m"));
    expect(checkpointLines(listed.stdout).at(-1)).toMatch(/status=completed \| draft_preview=.* \| head$/);
  });

  it("refuses to resume a completed checkpoint with the notebook's message (exit code 0)", async () => {
    const { runId, checkpointId } = await pausedRun();
    expect((await runCli(["resume", checkpointId, "--approve"], env)).code).toBe(0);
    const listed = await runCli(["list", "--run", runId], env);
    const completedId = /^- (\S+) .*status=completed/m.exec(listed.stdout)?.[1];

    const result = await runCli(["resume", completedId!], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${REFUSAL}\n`);
  });

  it("refuses an empty or oversized brief with a one-line message and exit code 3, starting no run", async () => {
    const empty = await runCli(["run", "   "], env);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toBe("error [VALIDATION_FAILED]: The brief is empty. Describe what is being released.\n");
    expect(empty.stdout).not.toContain("Run: ");

    const huge = await runCli(["run", "x".repeat(20_001)], env);
    expect(huge.code).toBe(3);
    expect(huge.stderr).toBe("error [VALIDATION_FAILED]: The brief is too long: at most 20,000 characters.\n");

    expect((await runCli(["list"], env)).stdout).toContain("No runs yet.");
  });

  it("prints one parseable JSON document per command with --json", async () => {
    const paused = await runCli(["run", BRIEF, "--json"], env, "");
    expect(paused.code).toBe(2);
    const run = JSON.parse(paused.stdout) as Record<string, unknown> & {
      pendingRequests: Array<{ requestId: string; draft: string; checkpointId: string }>;
    };
    expect(run).toMatchObject({
      ok: true,
      command: "run",
      outcome: "awaiting_input",
      exitCode: 2,
      status: "awaiting_review",
      iteration: 1,
      writer: { isModel: false },
    });
    const request = run.pendingRequests[0]!;
    expect(run.resumeCommand).toBe(`npm run cli -- resume ${request.checkpointId}`);

    const listed = JSON.parse((await runCli(["list", "--json"], env)).stdout) as {
      runs: Array<{ runId: string }>;
      newestRun: { checkpoints: Array<{ isHead: boolean; status: string }> };
    };
    expect(listed.runs.map((item) => item.runId)).toEqual([run.runId]);
    expect(listed.newestRun.checkpoints.find((checkpoint) => checkpoint.isHead)?.status).toBe(
      "awaiting human response",
    );

    const resumed = await runCli(
      ["resume", request.checkpointId, "--respond", `${request.requestId}=approve`, "--json"],
      env,
    );
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      ok: true,
      command: "resume",
      outcome: "completed",
      status: "completed",
      publishedText: request.draft,
      answers: [{ requestId: request.requestId, response: "approve" }],
    });

    const refused = await runCli(["run", "", "--json"], env);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toEqual({
      ok: false,
      command: "run",
      error: { code: "VALIDATION_FAILED", message: "The brief is empty. Describe what is being released." },
      exitCode: 3,
    });
  });

  it("never blocks without input: --no-input with an open stdin, and no stdin at all, both exit 2 showing what is pending", async () => {
    const open = startCli(["run", BRIEF, "--no-input"], env); // stdin stays open and silent
    const withOpenStdin = await open.exited;
    expect(withOpenStdin.code).toBe(2);
    expect(withOpenStdin.stdout).toContain("=== Human approval needed ===");
    expect(withOpenStdin.stdout).toContain("No answer given (no more input).");

    const { checkpointId, requestId } = await pausedRun();
    const resumed = await runCli(["resume", checkpointId], env, null);
    expect(resumed.code).toBe(2);
    expect(resumed.stdout).toContain(`request_id: ${requestId}`);
    expect(resumed.stdout).toContain(`npm run cli -- resume ${checkpointId}`);
  });

  it("pre-supplies guidance with --respond and asks about the revised draft", async () => {
    const { checkpointId, requestId } = await pausedRun();

    const result = await runCli(
      ["resume", checkpointId, "--respond", `${requestId}=Mention free shipping.`],
      env,
      "approve\n",
    );

    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(`request_id: ${requestId}`); // answered up front, not asked again
    expect(result.stdout).toMatch(/Iteration: 2\n/);
    expect(result.stdout).toMatch(/Workflow completed with: .*free shipping/);
  });

  it("refuses malformed --respond, unknown requests and unknown checkpoints with exit code 3", async () => {
    const { checkpointId } = await pausedRun();

    const malformed = await runCli(["resume", checkpointId, "--respond", "approve"], env);
    expect(malformed).toMatchObject({
      code: 3,
      stderr: 'error [BAD_OPTION]: --respond expects <requestId>=<text>, got "approve"\n',
    });
    const unknownRequest = await runCli(["resume", checkpointId, "--respond", "nope=approve"], env);
    expect(unknownRequest.code).toBe(3);
    expect(unknownRequest.stderr).toMatch(
      /^error \[REQUEST_NOT_FOUND\]: Request nope is not pending at checkpoint \S+ \(pending: \S+\)\n$/,
    );
    const unknownCheckpoint = await runCli(["resume", "no-such-checkpoint"], env);
    expect(unknownCheckpoint).toMatchObject({
      code: 3,
      stderr: "error [CHECKPOINT_NOT_FOUND]: Checkpoint no-such-checkpoint was not found\n",
    });
  });

  it("refuses to answer a request again from an older checkpoint, unless --branch starts a new branch of history (with a reason, once the run completed)", async () => {
    const { checkpointId, requestId } = await pausedRun();
    expect((await runCli(["resume", checkpointId, "--approve", "--as", "rita@example.com"], env)).code).toBe(0);

    const again = await runCli(["resume", checkpointId, "--respond", `${requestId}=Mention free shipping.`], env);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(
      new RegExp(`^error \\[REQUEST_ALREADY_ANSWERED\\]: Request ${requestId} was already answered by rita at `),
    );
    expect(again.stderr).toMatch(
      /To answer it differently on purpose, as a new branch of history, run the same command with --branch\.\n$/,
    );

    // the run completed: going back to it on purpose re-opens it, which needs a reason
    const withoutReason = await runCli(
      ["resume", checkpointId, "--respond", `${requestId}=Mention free shipping.`, "--branch"],
      env,
    );
    expect(withoutReason).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(/^error \[VALIDATION_FAILED\]: Say why you re-open a completed run/),
    });

    const branched = await runCli(
      [
        "resume",
        checkpointId,
        "--respond",
        `${requestId}=Mention free shipping.`,
        "--branch",
        "--reason",
        "Shipping matters.",
        "--no-input",
      ],
      env,
    );
    expect(branched.code).toBe(2);
    expect(branched.stdout).toContain("resuming starts a branch from it");
    expect(branched.stdout).toMatch(/Iteration: 2\n[\s\S]*free shipping/);
  });

  it("tells a reviewer whose request was answered meanwhile by someone else who answered it and when", async () => {
    const first = startCli(["run", BRIEF, "--as", "bo@example.com"], env);
    await first.waitForStdout(new RegExp(escape(QUESTION)));
    const other = await runCli(["resume", await headCheckpointId(), "--approve", "--as", "ana@example.com"], env);
    expect(other.code).toBe(0);

    first.write("Make it shorter.\n");
    const late = await first.exited;

    expect(late.code).toBe(3);
    expect(late.stderr).toMatch(
      /^error \[REQUEST_ALREADY_ANSWERED\]: Request \S+ was already answered by ana at \d{4}-\d\d-\d\dT[\d:.]+Z/,
    );
    expect(late.stderr.trim().split("\n")).toHaveLength(1);
  });
});

async function headCheckpointId(): Promise<string> {
  const listed = JSON.parse((await runCli(["list", "--json"], env)).stdout) as {
    newestRun: { checkpoints: Array<{ isHead: boolean; checkpointId: string }> };
  };
  return listed.newestRun.checkpoints.find((checkpoint) => checkpoint.isHead)!.checkpointId;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
