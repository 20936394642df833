import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedPeople } from "@/tests/support/seed-people";
import { makeTempDir } from "@/tests/support/temp-database";
import { cliEnv, runCli, startCliInTerminal, type ChildEnv } from "./testing/spawn-cli";

// Review decisions through the CLI: a quorum of approvals, edit (stdin, a file, the reviewer's editor), reject,
// the approval policy, and assigning reviewers. Real child processes on a temp SQLite file, offline writer.

const BRIEF = "Introduce our smart coffee grinder at $249 and invite pre-orders.";
const QUESTION = "Type 'approve', 'edit', 'reject <reason>' or revision guidance (or 'exit' to quit): ";
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let temp: ReturnType<typeof makeTempDir>;
let env: ChildEnv;

beforeEach(async () => {
  temp = makeTempDir("draftgate-cli-decisions-");
  env = cliEnv(temp.file("cli.db"));
  await seedPeople(temp.file("cli.db"), [
    { name: "Rita", role: "reviewer" },
    { name: "Ana", role: "reviewer" },
    { name: "Pat", role: "author" },
  ]);
});
afterEach(() => temp.cleanup());

/** Starts a run as the local operator and leaves it awaiting review. */
async function pausedRun() {
  const result = await runCli(["run", BRIEF], env, "");
  expect(result.code).toBe(2);
  return parseSession(result.stdout);
}

/** The run, pending request and checkpoint to resume that a session printed last. */
function parseSession(stdout: string) {
  const runId = /^Run: (\S+)$/m.exec(stdout)?.[1];
  const checkpointId = [...stdout.matchAll(/npm run cli -- resume (\S+)/g)].at(-1)?.[1];
  const requestId = [...stdout.matchAll(/^request_id: (\S+)$/gm)].at(-1)?.[1];
  const draft = [...stdout.matchAll(/Draft[^\n]*:\n---\n([\s\S]*?)\n---/g)].at(-1)?.[1];
  if (!checkpointId || !requestId || !draft) throw new Error(`unexpected output:\n${stdout}`);
  return { runId, checkpointId, requestId, draft };
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

function runLine(stdout: string, runId: string): string {
  return stdout.split("\n").find((line) => line.startsWith(`- ${runId} |`)) ?? "";
}

describe("draftgate CLI: review decisions", () => {
  it("with a quorum of two, records the first reviewer's approval as 1 of 2 (exit 2) and publishes on the second's", async () => {
    const set = await runCli(["policy", "set", "--approvals", "2"], env);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(
      /^Approval policy of release-notes: 2 approvals per draft \(version 1, set by cli:\S+ at \S+\)\.$/m,
    );
    const { runId, checkpointId, requestId, draft } = await pausedRun();

    const first = await runCli(["resume", checkpointId, "--as", "rita@example.com"], env, "approve\napprove\n");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(2);
    expect(first.stdout).toContain("Iteration: 1\n0 of 2 approvals\n");
    expect(first.stdout).toContain(
      `${QUESTION}approve\nApproval recorded: 1 of 2. The draft waits for another reviewer.\n`,
    );
    expect(count(first.stdout, QUESTION)).toBe(1); // not asked again: her approval counts already
    expect(first.stdout).not.toContain("Workflow completed");

    const listed = await runCli(["list"], env);
    expect(runLine(listed.stdout, runId!)).toMatch(/\| status=awaiting_review \| iteration=1 \| approvals=1\/2 \|/);

    const second = await runCli(
      ["resume", checkpointId, "--approve", requestId, "--as", "ana@example.com", "--json"],
      env,
      null,
    );
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      ok: true,
      outcome: "completed",
      status: "completed",
      publishedText: draft,
      answers: [{ requestId, decision: "approve", response: "approve" }],
    });
  });

  it("stops an interactive run at its own approval short of the quorum, with the AnswerResult in --json, and refuses the same approval twice", async () => {
    expect((await runCli(["policy", "set", "--approvals", "2"], env)).code).toBe(0);

    const run = await runCli(["run", BRIEF, "--json"], env, "approve\napprove\n");

    expect(run.code).toBe(2);
    const document = JSON.parse(run.stdout) as {
      runId: string;
      pendingRequests: Array<{ requestId: string; checkpointId: string; approvals: Array<{ by: string }> }>;
    };
    expect(document).toMatchObject({
      outcome: "awaiting_approvals",
      status: "awaiting_review",
      policy: { requiredApprovals: 2 },
      approvals: { count: 1, required: 2 },
      answerResult: { runId: document.runId, status: "awaiting_review", approvals: { count: 1, required: 2 } },
    });
    expect(document.pendingRequests[0]!.approvals.map((approval) => approval.by)).toEqual([
      expect.stringMatching(/^cli:/),
    ]);

    const { requestId, checkpointId } = document.pendingRequests[0]!;
    const again = await runCli(["resume", checkpointId, "--approve", requestId], env, null);
    expect(again.code).toBe(3);
    expect(again.stderr).toBe(
      "error [ALREADY_APPROVED]: You already approved this draft; it has 1 of 2 approvals. Another reviewer's approval is needed.\n",
    );
  });

  it("publishes a draft edited at the prompt from piped stdin, after refusing an unchanged edit", async () => {
    const { checkpointId, draft } = await pausedRun();
    const input = `edit\n${draft}\n.\nedit\nThe grinder that tunes itself.\nPre-order it for $249.\n.\n`;

    const result = await runCli(["resume", checkpointId, "--as", "rita@example.com"], env, input);

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `${QUESTION}edit\nEnter the edited draft, then a line with a single '.':\n${draft}\n.\nThe draft is unchanged; nothing was recorded.`,
    );
    expect(result.stdout).toContain(
      "Workflow completed with: The grinder that tunes itself.\nPre-order it for $249.\n",
    );
  });

  it("with a quorum of two, asks again about an edit from a file as the editor's draft with their approval, and publishes it on another approval", async () => {
    expect((await runCli(["policy", "set", "--approvals", "2"], env)).code).toBe(0);
    const { checkpointId, requestId } = await pausedRun();
    fs.writeFileSync(temp.file("edit.txt"), "Meet the grinder that tunes itself. Pre-order today!\n");

    const edited = await runCli(
      ["resume", checkpointId, "--edit", `${requestId}=${temp.file("edit.txt")}`, "--as", "ana@example.com"],
      env,
      null,
    );

    expect(edited.stderr).toBe("");
    expect(edited.code).toBe(2);
    expect(edited.stdout).toContain(
      "Edit recorded as your approval: 1 of 2. The edited draft waits for another reviewer.\n",
    );
    const [, nextCheckpointId, nextRequestId] =
      /The run is paused at checkpoint (\S+) \(awaiting human response to request (\S+)\)/.exec(edited.stdout) ?? [];
    expect(nextRequestId).toBeDefined();
    expect(nextRequestId).not.toBe(requestId);

    const approved = await runCli(["resume", nextCheckpointId!, "--as", "rita@example.com"], env, "approve\n");
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain("Iteration: 1\n1 of 2 approvals (Ana)\n");
    expect(approved.stdout).toContain(
      "Draft 1 (edited by Ana):\n---\nMeet the grinder that tunes itself. Pre-order today!\n---\n",
    );
    expect(approved.stdout).toContain(
      "Workflow completed with: Meet the grinder that tunes itself. Pre-order today!\n",
    );
  });

  it("edits the draft in $EDITOR at a terminal and publishes the saved text", async () => {
    const editor = temp.file("fake-editor.mjs");
    // rewrites the file it is given, keeping a word of the draft to show it read what the CLI wrote there
    fs.writeFileSync(
      editor,
      'import fs from "node:fs";\nconst file = process.argv[2];\nconst words = fs.readFileSync(file, "utf8").split(" ");\nfs.writeFileSync(file, `Edited in the editor, after "${words[0]}".\\n`);\n',
    );
    const cli = startCliInTerminal(["run", BRIEF], { ...env, VISUAL: "", EDITOR: `'${process.execPath}' '${editor}'` });

    try {
      await cli.waitForStdout(/\(or 'exit' to quit\): /);
      cli.write("edit\r");
      await cli.waitForStdout(/Workflow completed with: /);
    } finally {
      cli.child.stdin.end(); // ends the terminal session, whatever state the CLI is in
    }
    const result = await cli.exited;

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Opening the draft in your editor");
    expect(result.stdout).toMatch(/Workflow completed with: Edited in the editor, after "Introducing"\.\r?\n/);
  });

  it("rejects with a reason (asking for it after a bare 'reject'), ends the run as rejected, and has nothing left to resume", async () => {
    const result = await runCli(["run", BRIEF], env, "reject\n\nreject The price is wrong.\n");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `${QUESTION}reject\nWhy is the draft rejected? (the reason is shown on the run): \nA reason is required to reject the draft; nothing was recorded.\n`,
    );
    expect(result.stdout).toMatch(/^Run rejected by cli:\S+: The price is wrong\.$/m);
    const runId = /^Run: (\S+)$/m.exec(result.stdout)![1]!;

    const listed = await runCli(["list", "--json"], env);
    const head = (
      JSON.parse(listed.stdout) as { newestRun: { checkpoints: Array<{ isHead: boolean; checkpointId: string }> } }
    ).newestRun.checkpoints.find((checkpoint) => checkpoint.isHead)!;
    expect(runLine((await runCli(["list"], env)).stdout, runId)).toContain("| status=rejected |");
    const resumed = await runCli(["resume", head.checkpointId], env, null);
    expect(resumed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /^Run rejected by cli:\S+: The price is wrong\.\nNothing to resume: the run ended unpublished\.\n$/,
      ),
    });
  });

  it("rejects with --reject and reports the rejection in --json", async () => {
    const { checkpointId, requestId } = await pausedRun();

    const result = await runCli(
      ["resume", checkpointId, "--reject", `${requestId}=Off-brand tone.`, "--as", "rita@example.com", "--json"],
      env,
      null,
    );

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: "rejected",
      status: "rejected",
      rejection: { reason: "Off-brand tone.", by: "Rita" },
      answers: [{ requestId, decision: "reject", response: "Off-brand tone." }],
    });
  });

  it("assigns and unassigns reviewers, and lists the runs assigned to the acting person", async () => {
    const { runId } = await pausedRun();

    const assigned = await runCli(["assign", runId!, "rita@example.com"], env);
    expect(assigned).toMatchObject({
      code: 0,
      stdout: `Assigned Rita <rita@example.com> to review run ${runId}.\nAssigned reviewers: Rita.\n`,
    });
    expect(runLine((await runCli(["list"], env)).stdout, runId!)).toContain("| assigned=Rita |");

    const ritas = await runCli(["list", "--inbox", "--mine", "--as", "rita@example.com"], env);
    expect(ritas.stdout).toMatch(
      new RegExp(`^Awaiting review, assigned to Rita \\(oldest first\\):\\n- ${runId} \\| status=awaiting_review \\|`),
    );
    expect((await runCli(["list", "--mine", "--as", "ana@example.com"], env)).stdout).toBe(
      "Nothing assigned to Ana awaits review.\n",
    );
    const inbox = JSON.parse((await runCli(["list", "--inbox", "--json"], env)).stdout) as {
      runs: Array<{ runId: string; assignees: Array<{ name: string }> }>;
    };
    expect(inbox.runs).toMatchObject([{ runId, assignees: [{ name: "Rita" }] }]);

    const author = await runCli(["assign", runId!, "pat@example.com"], env);
    expect(author).toMatchObject({
      code: 3,
      stderr: "error [VALIDATION_FAILED]: Only an active reviewer or admin can be assigned to review.\n",
    });
    const operator = await runCli(["list", "--mine"], env);
    expect(operator).toMatchObject({
      code: 3,
      stderr: expect.stringMatching(
        /^error \[BAD_OPTION\]: --mine lists the runs assigned to you, .* add --as <your email>\n$/,
      ),
    });

    const unassigned = await runCli(["unassign", runId!, "rita@example.com"], env);
    expect(unassigned).toMatchObject({
      code: 0,
      stdout: `Rita <rita@example.com> no longer reviews run ${runId}.\nNobody is assigned: any reviewer may review it.\n`,
    });
    expect((await runCli(["list", "--inbox", "--mine", "--as", "rita@example.com"], env)).stdout).toBe(
      "Nothing assigned to Rita awaits review.\n",
    );
    expect((await runCli(["unassign", runId!, "rita@example.com"], env)).stdout).toContain("was not assigned to run");
  });

  it("prints an edited draft carrying escape sequences and a bidi override as plain text", async () => {
    const { checkpointId } = await pausedRun();
    const input =
      "edit\nThe \u001b]8;;http://evil\u0007grinder\u001b]8;;\u0007 tunes\u001b[2J itself. Pre-order \u202etoday!\n.\n";

    const result = await runCli(["resume", checkpointId, "--as", "rita@example.com"], env, input);

    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(UNSAFE);
    expect(result.stderr).not.toMatch(UNSAFE);
    expect(result.stdout).toMatch(/Workflow completed with: The .*grinder.* tunes.* itself\. Pre-order today!\n/);
  });

  it("refuses malformed decisions and a reviewer changing the policy, with exit code 3", async () => {
    const { checkpointId, requestId, draft } = await pausedRun();
    fs.writeFileSync(temp.file("same.txt"), `${draft}\n`);

    const cases: Array<[string[], string]> = [
      [
        ["resume", checkpointId, "--reject", `${requestId}=`],
        `error [BAD_OPTION]: --reject needs a reason: ${requestId}=<why the draft is rejected>\n`,
      ],
      [
        ["resume", checkpointId, "--approve", requestId, "--reject", `${requestId}=No.`],
        `error [BAD_OPTION]: Request ${requestId} is answered twice (--approve and --reject); give one answer per request\n`,
      ],
      [
        ["resume", checkpointId, "--edit", `${requestId}=${temp.file("same.txt")}`],
        `error [BAD_OPTION]: --edit ${requestId}: ${temp.file("same.txt")} holds the draft unchanged; approve it with --approve ${requestId} instead\n`,
      ],
      [
        ["resume", checkpointId, "--edit", `${requestId}=-`, "--no-input"],
        "error [BAD_OPTION]: --no-input forbids reading stdin (an --edit of -)\n",
      ],
      [
        ["policy", "set", "--approvals", "2", "--as", "rita@example.com"],
        "error [FORBIDDEN]: Only admins can change the approval policy; you are signed in as a reviewer.\n",
      ],
      [["policy", "set", "--approvals", "0"], "error [VALIDATION_FAILED]: --approvals: at least 1.\n"],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(args, env, null);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 3, stderr });
    }
    expect((await runCli(["policy", "--json"], env)).stdout).toContain('"requiredApprovals": 1');
  });
});
