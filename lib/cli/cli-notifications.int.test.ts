import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startMailCatcher } from "@/tests/support/mail-catcher";
import { seedPeople } from "@/tests/support/seed-people";
import { makeTempDir } from "@/tests/support/temp-database";
import { cliEnv, runCli, type ChildEnv } from "./testing/spawn-cli";

// `notifications dispatch`: the outbox a CLI run wrote, sent from a shell to a real SMTP server.

let temp: ReturnType<typeof makeTempDir>;
let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let env: ChildEnv;

beforeEach(async () => {
  temp = makeTempDir("draftgate-cli-notify-");
  mail = await startMailCatcher();
  env = cliEnv(temp.file("cli.db"), {
    SMTP_URL: mail.url,
    MAIL_FROM: "Draftgate <draftgate@example.com>",
    APP_URL: "https://draftgate.example.com",
  });
  await seedPeople(temp.file("cli.db"), [
    { name: "Ada", role: "admin" },
    { name: "Rita", role: "reviewer" },
  ]);
});
afterEach(async () => {
  await mail.close();
  temp.cleanup();
});

describe("notifications dispatch", () => {
  it("sends the review requests a CLI run recorded, once, and is an admin's action", async () => {
    const run = await runCli(["run", "Introduce the travel grinder."], env, "");
    expect(run.code).toBe(2);
    const runId = /^Run: (\S+)$/m.exec(run.stdout)![1]!;
    expect(mail.messages).toHaveLength(0); // the run only recorded them

    const refused = await runCli(["notifications", "dispatch", "--as", "rita@example.com"], env, null);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(
      "error [FORBIDDEN]: Only admins can send due notifications; you are signed in as a reviewer.\n",
    );

    const sent = await runCli(["notifications", "dispatch"], env, null);
    expect(sent.stderr).toBe("");
    expect(sent.stdout).toBe("Delivered 2; 0 pending, 0 dead (2 delivered in all).\n");
    expect(mail.messages.map((message) => message.to[0]).sort()).toEqual(["ada@example.com", "rita@example.com"]);
    expect(mail.messages[0]!.parsed.subject).toBe("Review draft 1: Introduce the travel grinder.");
    expect(String(mail.messages[0]!.parsed.html)).toContain(`href="https://draftgate.example.com/runs/${runId}"`);

    const again = await runCli(["notifications", "dispatch", "--json"], env, null);
    expect(JSON.parse(again.stdout)).toEqual({
      ok: true,
      command: "notifications dispatch",
      delivered: 0,
      pending: 0,
      dead: 0,
    });
    expect(mail.messages).toHaveLength(2);
  });
});
