import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedPeople } from "@/tests/support/seed-people";
import { makeTempDir } from "@/tests/support/temp-database";
import { clockShiftEnv, cliEnv, runCli, type ChildEnv } from "./testing/spawn-cli";

// Review deadlines through the CLI: the policy's deadline, reminder, escalation group and expiry (`policy set`),
// the due state in `list`, and `timers tick` firing what is due. Real child processes on a temp SQLite file;
// time moves by starting the CLI with a shifted clock, never by sleeping.

const HOUR = 3_600_000;
const BRIEF = "Introduce our smart coffee grinder at $249 and invite pre-orders.";

let temp: ReturnType<typeof makeTempDir>;
let env: ChildEnv;

beforeEach(async () => {
  temp = makeTempDir("draftgate-cli-deadlines-");
  env = cliEnv(temp.file("cli.db"));
  await seedPeople(temp.file("cli.db"), [
    { name: "Ada", role: "admin" },
    { name: "Rhea", role: "reviewer" },
    { name: "Rita", role: "reviewer" },
    { name: "Pat", role: "author" },
  ]);
});
afterEach(() => temp.cleanup());

/** The environment of a CLI started `hours` from now. */
function later(hours: number): ChildEnv {
  return { ...env, ...clockShiftEnv(temp.dir, hours * HOUR) };
}

/** Starts a run as the local operator and leaves it awaiting review; returns its id and the checkpoint to resume. */
async function pausedRun(): Promise<{ runId: string; checkpointId: string }> {
  const result = await runCli(["run", BRIEF], env, "");
  expect(result.code).toBe(2);
  const runId = /^Run: (\S+)$/m.exec(result.stdout)?.[1];
  const checkpointId = [...result.stdout.matchAll(/npm run cli -- resume (\S+)/g)].at(-1)?.[1];
  if (!runId || !checkpointId) throw new Error(`unexpected output:\n${result.stdout}`);
  return { runId, checkpointId };
}

function runLine(stdout: string, runId: string): string {
  return stdout.split("\n").find((line) => line.startsWith(`- ${runId} |`)) ?? "";
}

describe("draftgate CLI: review deadlines", () => {
  it("sets the deadline, reminder, escalation group and expiry together or one at a time, and shows them", async () => {
    const set = await runCli(
      [
        "policy",
        "set",
        "--approvals",
        "2",
        "--deadline",
        "1d12h",
        "--remind-before",
        "90m",
        "--escalate-to",
        "rhea@example.com, ada@example.com",
        "--expire-after",
        "2d",
      ],
      env,
    );

    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(
      new RegExp(
        [
          String.raw`^Approval policy of release-notes: 2 approvals per draft \(version 1, set by cli:\S+ at \S+\)\.`,
          "Deadline: 1d12h after a draft is asked for review\\.",
          "Reminder: 1h30m before the deadline\\.",
          "Escalation: to Rhea, Ada at the deadline\\.",
          String.raw`Expiry: 2d after the deadline \(rejected as expired\)\.`,
          "Runs started from now on follow it; runs already started keep the policy they started with\\.\n$",
        ].join("\n"),
      ),
    );

    // what is left out keeps its value; off turns a timer off, admins is the default group again
    expect(
      (
        await runCli(
          ["policy", "set", "--remind-before", "off", "--expire-after", "OFF", "--escalate-to", "admins"],
          env,
        )
      ).code,
    ).toBe(0);
    const shown = await runCli(["policy"], env);
    expect(shown.stdout).toContain("2 approvals per draft (version 2, set by cli:");
    expect(shown.stdout).toContain(
      "\nDeadline: 1d12h after a draft is asked for review.\nReminder: off.\nEscalation: to the admins at the deadline.\nExpiry: never (a draft waits for a decision).\n",
    );

    const json = await runCli(["policy", "--json"], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      command: "policy",
      policy: {
        version: 2,
        requiredApprovals: 2,
        deadlineMinutes: 2_160,
        reminderMinutesBefore: null,
        escalateTo: [],
        expireAfterMinutes: null,
      },
    });
  });

  it("refuses a malformed duration as a usage error and the services' rules naming the option, with exit code 3", async () => {
    expect((await runCli(["policy", "set", "--deadline", "1h", "--remind-before", "15m"], env)).code).toBe(0);

    const cases: Array<[string[], string]> = [
      [
        ["policy", "set", "--deadline", "90"],
        "error: option '--deadline <duration>' argument '90' is invalid. add a unit: 90m, 90h or 90d\n",
      ],
      [
        ["policy", "set", "--remind-before", "1.5h"],
        "error: option '--remind-before <duration|off>' argument '1.5h' is invalid. whole numbers only (90m rather than 1.5h), like 90m, 24h, 2d or 1h30m; or off\n",
      ],
      [
        ["policy", "set", "--expire-after", "0"],
        "error: option '--expire-after <duration|off>' argument '0' is invalid. to turn it off, say off\n",
      ],
      [
        ["policy", "set", "--remind-before", "1h"],
        "error [VALIDATION_FAILED]: --remind-before: The reminder must come before the deadline.\n",
      ],
      [
        ["policy", "set", "--deadline", "10m"],
        "error [VALIDATION_FAILED]: --remind-before: The reminder must come before the deadline.\n",
      ],
      [["policy", "set", "--deadline", "366d"], "error [VALIDATION_FAILED]: --deadline: at most a year.\n"],
      [
        ["policy", "set", "--escalate-to", "pat@example.com"],
        "error [VALIDATION_FAILED]: --escalate-to: Escalate only to active reviewers and admins.\n",
      ],
      [
        ["policy", "set", "--escalate-to", "nobody@example.com"],
        "error [NOT_FOUND]: Nobody has the email nobody@example.com; see `user list`.\n",
      ],
      [
        ["policy", "set"],
        "error [BAD_OPTION]: Say what to change: --approvals, --deadline, --remind-before, --escalate-to or --expire-after.\n",
      ],
      [
        ["policy", "set", "--deadline", "2h", "--as", "rita@example.com"],
        "error [FORBIDDEN]: Only admins can change the approval policy; you are signed in as a reviewer.\n",
      ],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(args, env, null);
      // commander follows a usage error with the command's help
      expect({
        args,
        code: result.code,
        stderr: result.stderr.startsWith("error: ") ? result.stderr.split("\n")[0] + "\n" : result.stderr,
      }).toEqual({ args, code: 3, stderr });
    }

    const json = await runCli(["policy", "set", "--remind-before", "2h", "--json"], env, null);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      command: "policy set",
      error: {
        code: "VALIDATION_FAILED",
        message: "--remind-before: The reminder must come before the deadline.",
        details: {
          fieldErrors: {
            "--remind-before": [
              "Make the reminder shorter than the deadline: it comes after the draft is asked, before it is due.",
            ],
          },
        },
      },
      exitCode: 3,
    });
    expect(JSON.parse((await runCli(["policy", "--json"], env)).stdout)).toMatchObject({
      policy: { version: 1, deadlineMinutes: 60, reminderMinutesBefore: 15 },
    });
  });

  it("lists a run as due, then overdue, and once `timers tick` fired its reminder and escalation, as escalated; a second tick fires nothing", async () => {
    expect(
      (
        await runCli(
          ["policy", "set", "--deadline", "1h", "--remind-before", "15m", "--escalate-to", "rhea@example.com"],
          env,
        )
      ).code,
    ).toBe(0);
    const { runId } = await pausedRun();

    expect(runLine((await runCli(["list"], env)).stdout, runId)).toMatch(
      / \| status=awaiting_review \| iteration=1 \| due=in (1h|59m) \| created=/,
    );
    const overdue = await runCli(["list", "--inbox"], later(3), null);
    expect(runLine(overdue.stdout, runId)).toMatch(
      / \| status=awaiting_review \| iteration=1 \| due=overdue 2h \| created=/,
    );

    const tick = await runCli(["timers", "tick"], later(3), null);
    expect(tick.stderr).toBe("");
    expect(tick.code).toBe(0);
    expect(tick.stdout).toBe(
      `Fired 2 timers: reminded 1, escalated 1, expired 0.\n- ${runId} | reminded, escalated to Rhea\n`,
    );

    const escalated = await runCli(["list", "--inbox"], later(3), null);
    expect(runLine(escalated.stdout, runId)).toMatch(
      / \| status=awaiting_review \| iteration=1 \| assigned=Rhea \| due=overdue 2h \(escalated\) \| created=/,
    );
    const rheas = await runCli(["list", "--mine", "--as", "rhea@example.com", "--json"], later(3), null);
    expect(JSON.parse(rheas.stdout)).toMatchObject({
      runs: [{ runId, deadline: { escalatedTo: "Rhea", remindedAt: expect.any(String) } }],
    });

    const again = await runCli(["timers", "tick", "--json"], later(4), null);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      ok: true,
      command: "timers tick",
      fired: 0,
      reminded: 0,
      escalated: 0,
      expired: 0,
      runs: [],
    });
  });

  it("expires a draft past its expiry with `timers tick`, rejecting the run, never approving it", async () => {
    expect(
      (await runCli(["policy", "set", "--deadline", "1h", "--remind-before", "15m", "--expire-after", "30m"], env))
        .code,
    ).toBe(0);
    const { runId, checkpointId } = await pausedRun();

    const early = await runCli(["timers", "tick"], later(1.25), null);
    expect(early.stdout).toBe(
      `Fired 2 timers: reminded 1, escalated 1, expired 0.\n- ${runId} | reminded, escalated to Ada\n`,
    );

    const tick = await runCli(["timers", "tick", "--json"], later(2), null);
    expect(tick.code).toBe(0);
    expect(JSON.parse(tick.stdout)).toMatchObject({
      fired: 1,
      reminded: 0,
      escalated: 0,
      expired: 1,
      runs: [{ runId, reminded: false, escalatedTo: null, expired: true }],
    });
    expect(runLine((await runCli(["list"], env)).stdout, runId)).toMatch(
      / \| status=rejected \| iteration=1 \| assigned=Ada \| created=/,
    ); // no due state once decided
    expect((await runCli(["list", "--inbox"], later(2), null)).stdout).toBe("Nothing awaits review.\n");
    const { checkpoints } = JSON.parse((await runCli(["list", "--run", runId, "--json"], env)).stdout) as {
      checkpoints: Array<{ checkpointId: string; isHead: boolean }>;
    };
    const head = checkpoints.find((checkpoint) => checkpoint.isHead)!.checkpointId;
    expect(head).not.toBe(checkpointId);
    const resumed = await runCli(["resume", head], env, null);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("Run rejected by Draftgate (deadline): Expired: no decision by the deadline.\n");
  });

  it("lets only admins fire timers", async () => {
    const result = await runCli(["timers", "tick", "--as", "rita@example.com"], later(48), null);

    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      "error [FORBIDDEN]: Only admins can fire due timers; you are signed in as a reviewer.\n",
    );
    expect((await runCli(["timers", "tick", "--as", "ada@example.com"], later(48), null)).stdout).toBe(
      "Nothing was due.\n",
    );
  });
});
