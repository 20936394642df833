import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSmtpSender } from "@/lib/notifications/email";
import { ChatClientError } from "@/lib/workflow";
import { ScriptedChatClient } from "@/lib/workflow/testing";
import { actorFor } from "@/tests/support/actors";
import { startHttpReceiver, type Answer } from "@/tests/support/http-receiver";
import { startMailCatcher } from "@/tests/support/mail-catcher";
import { serviceHarness } from "@/tests/support/service-harness";
import type { Actor } from "../actor";
import type { DraftgateService } from "../draftgate-service";
import { BACKOFF, MAX_ATTEMPTS, backoffDelay } from "./dispatcher";

// Notifications through real channels: a real SMTP server (smtp-server, messages parsed back with mailparser)
// and local HTTP receivers for webhooks and Slack. Time is injected; nothing sleeps for a backoff.

const APP_URL = "http://draftgate.test";
const HOSTILE_DRAFT = 'Meet the grinder <img src=x onerror="alert(1)"> <script>alert(2)</script> & more.';
const MINUTE = 60_000;

let mail: Awaited<ReturnType<typeof startMailCatcher>>;
let receivers: Array<{ close: () => Promise<void> }>;
let now: number;
let errors: unknown[];
let people: { ada: Actor; rita: Actor; pat: Actor };

beforeEach(async () => {
  mail = await startMailCatcher();
  receivers = [];
  errors = [];
  now = Date.parse("2026-12-01T09:00:00.000Z");
});
afterEach(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await mail.close();
  expect(errors).toEqual([]);
});
// registered after the hooks above, so its services are closed before the receivers and the mail catcher
const services = serviceHarness({ clock: () => now });

async function receiver(answers?: Answer[]) {
  const started = await startHttpReceiver(answers);
  receivers.push(started);
  return started;
}

/** A service with email on (the catcher), and Ada (admin), Rita (reviewer) and Pat (author) with accounts. */
async function makeService(options: { writer?: ScriptedChatClient; email?: boolean } = {}) {
  const service = await services.make({
    chatClient: options.writer ?? new ScriptedChatClient(() => HOSTILE_DRAFT),
    retry: { maxAttempts: 1 },
    onUnexpectedError: (error) => errors.push(error),
    notifications: {
      senders: {
        appUrl: APP_URL,
        httpTimeoutMs: 300,
        ...(options.email === false
          ? {}
          : { email: createSmtpSender({ smtpUrl: mail.url, from: "Draftgate <draftgate@example.com>" }) }),
      },
      mailFrom: "Draftgate <draftgate@example.com>",
      random: () => 1,
    },
  });
  const setup = actorFor("admin", "Setup");
  const add = async (name: string, role: "admin" | "reviewer" | "author") =>
    (await service.people.actorForUser(
      (await service.people.addPerson(setup, { email: `${name.toLowerCase()}@example.com`, name, role })).userId,
      "password",
    ))!;
  people = { ada: await add("Ada", "admin"), rita: await add("Rita", "reviewer"), pat: await add("Pat", "author") };
  return service;
}

async function pausedRun(service: DraftgateService, brief = "Introduce the smart grinder <b>today</b>.") {
  const { runId } = await service.submitBrief(people.pat, { brief });
  await service.waitForIdle(runId);
  return service.getRun(people.rita, runId);
}

const deliveriesOf = (service: DraftgateService, status?: "pending" | "delivered" | "dead") =>
  service.notifications.listDeliveries(people.ada, status ? { status } : {});

describe("email", () => {
  it("tells the reviewers of a new draft and the submitter of the publication, with the text escaped, the link and both parts", async () => {
    const service = await makeService();
    const run = await pausedRun(service);
    expect(mail.messages).toHaveLength(0); // written to the outbox, sent by the dispatcher
    expect(await service.notifications.dispatcher.tick()).toBe(2);

    // the pool: every reviewer and admin but the submitter
    expect(mail.messages.map((message) => message.to[0]).sort()).toEqual(["ada@example.com", "rita@example.com"]);
    const [toRita] = mail.to("rita@example.com");
    const { parsed } = toRita!;
    expect(parsed.subject).toBe("Review draft 1: Introduce the smart grinder <b>today</b>.");
    expect(parsed.from?.text).toBe('"Draftgate" <draftgate@example.com>');
    const html = String(parsed.html);
    expect(html).toContain("A draft awaits your review");
    expect(parsed.text).toContain("Pat's brief has draft 1 ready for review, due Wed, 02 Dec 2026 09:00 UTC.");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
    expect(html).not.toMatch(/<script|<img|<b>today/);
    expect(html).toContain(`href="${APP_URL}/runs/${run.runId}"`);
    expect(parsed.text).toContain(HOSTILE_DRAFT); // the plain-text part carries the draft as written
    expect(parsed.text).toContain(`${APP_URL}/runs/${run.runId}`);
    expect(parsed.headers.get("list")).toEqual({ unsubscribe: { url: `${APP_URL}/settings#notifications` } });
    const delivery = (await deliveriesOf(service)).find((item) => item.address === "rita@example.com")!;
    expect(parsed.messageId).toBe(`<${delivery.id}@example.com>`);
    expect(delivery).toMatchObject({
      status: "delivered",
      attempts: 1,
      eventKind: "review.requested",
      channel: "email",
    });

    await service.answerRequest(people.rita, {
      runId: run.runId,
      requestId: run.pendingRequests[0]!.requestId,
      response: "approve",
    });
    await service.waitForIdle(run.runId);
    expect(await service.notifications.dispatcher.tick()).toBe(1);
    const [published] = mail.to("pat@example.com");
    expect(published!.parsed.subject).toBe("Published: Introduce the smart grinder <b>today</b>.");
    expect(String(published!.parsed.html)).toContain("Rita approved draft 1.");
    expect(await service.notifications.dispatcher.tick()).toBe(0);
    expect(mail.messages).toHaveLength(3);
  });

  it("tells the submitter of a revision request with the guidance, and of a rejection with the reason", async () => {
    const service = await makeService();
    const run = await pausedRun(service);
    await service.answerRequest(people.rita, {
      runId: run.runId,
      requestId: run.pendingRequests[0]!.requestId,
      response: "Mention the <b>price</b>.",
    });
    await service.waitForIdle(run.runId);
    const second = await service.getRun(people.rita, run.runId);
    await service.answerRequest(people.rita, {
      runId: run.runId,
      requestId: second.pendingRequests[0]!.requestId,
      response: { decision: "reject", reason: "The launch moved." },
    });
    await service.waitForIdle(run.runId);
    await service.notifications.dispatcher.tick();
    const toPat = mail.to("pat@example.com").map((message) => message.parsed);
    expect(toPat.map((message) => message.subject)).toEqual([
      "Revision requested: Introduce the smart grinder <b>today</b>.",
      "Rejected: Introduce the smart grinder <b>today</b>.",
    ]);
    expect(toPat[0]!.text).toContain("Mention the <b>price</b>.");
    expect(String(toPat[0]!.html)).toContain("Mention the &lt;b&gt;price&lt;/b&gt;.");
    expect(toPat[1]!.text).toContain("The launch moved.");
    expect(toPat[1]!.text).toContain("Rita rejected draft 2");
    // each new draft asks the reviewers again
    expect(mail.to("rita@example.com").map((message) => message.parsed.subject)).toEqual([
      "Review draft 1: Introduce the smart grinder <b>today</b>.",
      "Review draft 2: Introduce the smart grinder <b>today</b>.",
    ]);
  });

  it("honours preferences: a person who turned a kind off gets nothing of that kind", async () => {
    const service = await makeService();
    const { preferences: prefs, emailConfigured } = await service.notifications.updateMyPreferences(people.rita, [
      { kind: "review.requested", email: false },
    ]);
    expect(emailConfigured).toBe(true);
    expect(prefs.find((pref) => pref.kind === "review.requested")).toMatchObject({ email: false });
    expect(prefs.find((pref) => pref.kind === "review.reminder")).toMatchObject({ email: true });
    await pausedRun(service);
    await service.notifications.dispatcher.tick();
    expect(mail.messages.map((message) => message.to[0])).toEqual(["ada@example.com"]);
    await expect(
      service.notifications.updateMyPreferences(people.rita, [{ kind: "run.exploded", email: false }]),
    ).rejects.toThrow(/Unknown notification kind/);
  });

  it("records no email when SMTP is not configured, and tells the submitter and the admins of a failed run", async () => {
    const failing = new ScriptedChatClient(
      () => new ChatClientError("HTTP 400: refused by provider sk-secret", { transient: false, status: 400 }),
    );
    const service = await makeService({ writer: failing });
    const { runId } = await service.submitBrief(people.pat, { brief: "A brief the model refuses." });
    await service.waitForIdle(runId);
    await service.notifications.dispatcher.tick();
    const failed = mail.messages.map((message) => [message.to[0], message.parsed.subject]).sort();
    expect(failed).toEqual([
      ["ada@example.com", "Run failed: A brief the model refuses."],
      ["pat@example.com", "Run failed: A brief the model refuses."],
    ]);
    // the plain cause, never the provider's raw detail
    expect(mail.messages.every((message) => !message.raw.includes("sk-secret"))).toBe(true);

    const quiet = await services.make({
      file: services.file("quiet.db"),
      chatClient: new ScriptedChatClient(() => "A draft."),
    });
    const author = (await quiet.people.actorForUser(
      (
        await quiet.people.addPerson(actorFor("admin", "Setup"), {
          email: "olga@example.com",
          name: "Olga",
          role: "admin",
        })
      ).userId,
      "password",
    ))!;
    const { runId: quietRun } = await quiet.submitBrief(author, { brief: "Nobody is emailed." });
    await quiet.waitForIdle(quietRun);
    expect(await quiet.notifications.listDeliveries(author)).toEqual([]);
    expect((await quiet.notifications.getChannels(author)).email).toEqual({ configured: false, from: null });
  });
});

describe("webhooks", () => {
  it("signs each delivery per Standard Webhooks; 500 then 200 delivers once more with the same webhook-id", async () => {
    now = Date.now(); // the verifier below compares the signed timestamp with the real clock
    const service = await makeService({ email: false });
    const endpoint = await receiver([{ status: 500 }, { status: 200 }]);
    const created = await service.notifications.addWebhookEndpoint(people.ada, {
      url: `${endpoint.url}/hooks`,
      description: "CI",
      kinds: ["review.requested", "run.published"],
    });
    expect(created.secret).toMatch(/^whsec_/);
    const run = await pausedRun(service);

    expect(await service.notifications.dispatcher.tick()).toBe(0);
    const [waiting] = await deliveriesOf(service);
    expect(waiting).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "The endpoint answered HTTP 500",
      nextAttemptAt: new Date(now + BACKOFF.baseMs).toISOString(),
    });
    expect(await service.notifications.dispatcher.tick()).toBe(0); // not due yet
    now += BACKOFF.baseMs;
    expect(await service.notifications.dispatcher.tick()).toBe(1);

    expect(endpoint.received).toHaveLength(2);
    const [first, second] = endpoint.received;
    expect(first!.headers["webhook-id"]).toBe(waiting!.id);
    expect(second!.headers["webhook-id"]).toBe(waiting!.id);
    // verified as a receiver would, with the standardwebhooks verifier (it checks the timestamp against the real clock)
    const verifier = new Webhook(created.secret);
    const headers = {
      "webhook-id": String(second!.headers["webhook-id"]),
      "webhook-timestamp": String(second!.headers["webhook-timestamp"]),
      "webhook-signature": String(second!.headers["webhook-signature"]),
    };
    expect(Number(headers["webhook-timestamp"])).toBe(Math.floor(now / 1000));
    expect(verifier.verify(second!.body, headers)).toMatchObject({
      type: "review.requested",
      data: { runId: run.runId, runUrl: `${APP_URL}/runs/${run.runId}`, draft: HOSTILE_DRAFT, iteration: 1 },
    });
    expect(() => verifier.verify(second!.body.replace("grinder", "blender"), headers)).toThrow(/signature/i);
    expect(second!.path).toBe("/hooks");
  });

  it("follows the backoff schedule for a receiver that never answers, then marks the delivery dead with its last error", async () => {
    const service = await makeService({ email: false });
    const endpoint = await receiver(["hang"]);
    await service.notifications.addWebhookEndpoint(people.ada, { url: endpoint.url, kinds: ["review.requested"] });
    await pausedRun(service);
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await service.notifications.dispatcher.tick();
      const [delivery] = await deliveriesOf(service);
      expect(delivery!.attempts).toBe(attempt);
      if (attempt === MAX_ATTEMPTS) {
        expect(delivery).toMatchObject({
          status: "dead",
          nextAttemptAt: null,
          lastError: "The endpoint could not be reached: no answer in time",
        });
        break;
      }
      const next = Date.parse(delivery!.nextAttemptAt!);
      gaps.push(next - now);
      now = next;
    }
    expect(gaps).toEqual(Array.from({ length: MAX_ATTEMPTS - 1 }, (_, index) => backoffDelay(index + 1, 1)));
    expect(gaps.slice(0, 4)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(gaps.at(-1)).toBe(BACKOFF.capMs);
    expect(endpoint.received).toHaveLength(MAX_ATTEMPTS);

    // an admin's "retry now" starts a fresh round
    const [dead] = await deliveriesOf(service);
    expect(await service.notifications.retryDelivery(people.ada, dead!.id)).toMatchObject({
      status: "pending",
      attempts: 1,
    });
  });

  it("waits at least as long as Retry-After says", async () => {
    const service = await makeService({ email: false });
    const endpoint = await receiver([{ status: 429, headers: { "retry-after": "600" } }, { status: 200 }]);
    await service.notifications.addWebhookEndpoint(people.ada, { url: endpoint.url, kinds: ["review.requested"] });
    await pausedRun(service);
    await service.notifications.dispatcher.tick();
    expect((await deliveriesOf(service))[0]).toMatchObject({
      status: "pending",
      nextAttemptAt: new Date(now + 600_000).toISOString(),
    });
  });

  it("sends a test event on request, refuses plain http to other hosts, and is for admins only", async () => {
    const service = await makeService({ email: false });
    const endpoint = await receiver();
    const created = await service.notifications.addWebhookEndpoint(people.ada, {
      url: endpoint.url,
      kinds: ["run.failed"],
    });
    expect(await service.notifications.sendTestEvent(people.ada, created.id)).toMatchObject({
      status: "delivered",
      eventKind: "webhook.test",
    });
    expect(JSON.parse(endpoint.received[0]!.body)).toMatchObject({ type: "webhook.test", data: { actor: "Ada" } });
    await expect(
      service.notifications.addWebhookEndpoint(people.ada, { url: "http://example.com/hook", kinds: ["run.failed"] }),
    ).rejects.toThrow(/https/);
    await expect(
      service.notifications.addWebhookEndpoint(people.ada, { url: "https://example.com/hook", kinds: [] }),
    ).rejects.toThrow(/at least one/);
    await expect(
      service.notifications.addWebhookEndpoint(people.rita, { url: "https://example.com/hook", kinds: ["run.failed"] }),
    ).rejects.toThrow(/Only admins/);
    await expect(service.notifications.listDeliveries(people.pat)).rejects.toThrow(/Only admins/);
    await service.notifications.removeWebhookEndpoint(people.ada, created.id);
    expect((await service.notifications.getChannels(people.ada)).webhooks).toEqual([]);
  });
});

describe("Slack", () => {
  it("posts a Block Kit message with the draft's opening, escaped, and a button to the run", async () => {
    const service = await makeService({ email: false });
    const slack = await receiver();
    await service.notifications.setSlackWebhook(people.ada, { url: `${slack.url}/services/T000/B000/XXXX` });
    expect((await service.notifications.getChannels(people.ada)).slack).toEqual({
      connected: true,
      urlHint: expect.stringMatching(/^127\.0\.0\.1:\d+\/…XXXX$/),
    });
    const run = await pausedRun(service);
    expect(await service.notifications.dispatcher.tick()).toBe(1);
    expect(slack.received[0]!.path).toBe("/services/T000/B000/XXXX");
    const message = JSON.parse(slack.received[0]!.body) as {
      text: string;
      blocks: Array<{
        type: string;
        text?: { type: string; text: string };
        elements?: Array<{ type: string; url?: string }>;
      }>;
    };
    expect(message.blocks.map((block) => block.type)).toEqual(["header", "section", "context", "section", "actions"]);
    expect(message.blocks[0]!.text).toEqual({ type: "plain_text", text: "A draft awaits review" });
    expect(message.blocks[3]!.text!.text).toBe(
      '*Draft*\nMeet the grinder &lt;img src=x onerror="alert(1)"&gt; &lt;script&gt;alert(2)&lt;/script&gt; &amp; more.',
    );
    expect(message.blocks[4]!.elements![0]).toMatchObject({ type: "button", url: `${APP_URL}/runs/${run.runId}` });
    // reminders are each reviewer's, not the channel's
    expect((await service.notifications.getChannels(people.ada)).deliveryCounts).toEqual({
      pending: 0,
      delivered: 1,
      dead: 0,
    });
  });
});

describe("deadlines", () => {
  it("reminds the pool and tells the escalation group, once each", async () => {
    const service = await makeService();
    await service.updateReviewPolicy(people.ada, { deadlineMinutes: 60, reminderMinutesBefore: 15 });
    const asked = now;
    await pausedRun(service);
    await service.notifications.dispatcher.tick();
    now = asked + 45 * MINUTE;
    await service.timers.tick();
    now = asked + 60 * MINUTE;
    await service.timers.tick();
    await service.timers.tick();
    await service.notifications.dispatcher.tick();
    const subjects = (address: string) => mail.to(address).map((message) => message.parsed.subject!.split(":")[0]);
    expect(subjects("rita@example.com")).toEqual(["Review draft 1", "Reminder"]);
    expect(subjects("ada@example.com")).toEqual(["Review draft 1", "Reminder", "Escalated to you"]);
  });
});
