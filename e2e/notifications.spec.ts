import type { Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startHttpReceiver } from "../tests/support/http-receiver";
import { expectNoHorizontalScroll, expectNoSeriousViolations } from "./fixtures/axe";
import { answerOverHttp, saveScreenshot, submitBrief, waitForRun } from "./fixtures/draftgate";
import { aboutRun, messagesTo, waitForMessage, type CaughtMessage } from "./fixtures/mail";
import { resetNotificationSettings } from "./fixtures/notification-settings";
import { member } from "./fixtures/people";
import { appUrl, expect, test } from "./fixtures/test";

// Notifications (docs/NOTIFICATIONS.md): the app's SMTP_URL points at the mail catcher playwright.config.ts starts,
// so every email the suite causes is caught and read back here (e2e/fixtures/mail.ts). Pat (author) submits over
// the API; Rita (reviewer) is emailed, follows the email's link from a signed-out browser and approves; Pat is
// emailed the publication; Avery (admin) sees the deliveries, sets up a webhook endpoint and Slack. Every test
// puts the notification settings back (everyone emailed about everything, no endpoints, no Slack).

test.use({ signedInAs: "Avery" });

test.afterEach(() => resetNotificationSettings());

const DELIVERIES = "/settings/notifications/deliveries";

/** A brief with markup in it: the emails must show it as characters. */
const MARKUP_BRIEF =
  "Launch the <b>bold</b> export & the <i>quiet</i> sync, mention CSV and PDF, invite admins to try it.";

/** Shows an email's HTML in a page of its own, as a mail client would (no app origin involved). */
async function renderEmail(page: Page, message: CaughtMessage): Promise<void> {
  await page.setViewportSize({ width: 720, height: 900 });
  await page.setContent(message.html, { waitUntil: "load" });
}

/** A delivery's address on the deliveries page, exactly. */
function addressOf(page: Page, address: string) {
  return page.getByTestId("delivery-address").and(page.getByText(address, { exact: true }));
}

/** The deliveries page's rows of one run. */
function deliveriesOf(page: Page, runId: string) {
  return page.getByTestId("delivery").filter({ has: page.locator(`a[href="/runs/${runId}"]`) });
}

test("Rita is emailed the draft to review, signs in from the email's link and approves; Pat is emailed the publication; the deliveries page lists both as delivered", async ({
  page,
  pageAs,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  const rita = member("Rita");
  const runId = await submitBrief(pat, MARKUP_BRIEF);
  const paused = await waitForRun(pat, runId, "awaiting_review", 1);
  const draft = paused.pendingRequests[0]!.draft;
  const runUrl = `${appUrl()}/runs/${runId}`;

  // Rita's email: the subject names the draft and the brief; the brief's markup arrives as text.
  const review = await waitForMessage(rita.email, aboutRun(runId), "the review request");
  expect(review.subject).toMatch(/^Review draft 1: Launch the <b>bold<\/b> export & the <i>quiet<\/i> sync/);
  expect(review.listUnsubscribe).toBe(`<${appUrl()}/settings#notifications>`);
  expect(review.text.replace(/\s+/g, " ")).toContain(MARKUP_BRIEF); // the plain-text part, wrapped
  expect(review.text).toContain(runUrl);
  expect(review.html).not.toContain("<b>bold</b>");

  const mail = await pageAs(null);
  await renderEmail(mail, review);
  await expect(mail.getByRole("heading", { level: 1, name: "A draft awaits your review" })).toBeVisible();
  await expect(mail.locator("body")).toContainText(MARKUP_BRIEF);
  await expect(mail.locator("body")).toContainText(draft);
  await expect(mail.locator("b, i, script")).toHaveCount(0);
  const button = mail.getByRole("link", { name: "Open the review" });
  await expect(button).toHaveAttribute("href", runUrl);
  await expect(mail.getByRole("link", { name: "notification settings" })).toHaveAttribute(
    "href",
    `${appUrl()}/settings#notifications`,
  );
  await saveScreenshot(mail, "email-review-requested");

  // She opens the link in a browser that is signed out: sign-in first, then the run, where she approves.
  const ritaBrowser = await pageAs(null);
  await ritaBrowser.goto((await button.getAttribute("href"))!);
  await expect(ritaBrowser).toHaveURL(new RegExp(`/sign-in\\?returnTo=%2Fruns%2F${runId}$`));
  await ritaBrowser.getByLabel("Email").fill(rita.email);
  await ritaBrowser.getByLabel("Password", { exact: true }).fill(rita.password);
  await ritaBrowser.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(ritaBrowser).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(ritaBrowser.getByTestId("signed-in-as")).toContainText("Signed in as Rita (reviewer)");
  await ritaBrowser.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(ritaBrowser.getByRole("region", { name: "Published release notes" })).toBeVisible();
  await waitForRun(pat, runId, "completed");

  // Pat's email says who published it; the published text is there, as text.
  const published = await waitForMessage(
    member("Pat").email,
    (message) => aboutRun(runId)(message) && message.subject.startsWith("Published: "),
    "the publication",
  );
  expect(published.subject).toMatch(/^Published: Launch the <b>bold<\/b> export/);
  await renderEmail(mail, published);
  await expect(
    mail.getByRole("heading", { level: 1, name: "Your release notes were approved and published" }),
  ).toBeVisible();
  await expect(mail.locator("body")).toContainText("Rita approved draft 1.");
  await expect(mail.locator("body")).toContainText(draft);
  await expect(mail.locator("b, i, script")).toHaveCount(0);
  await expect(mail.getByRole("link", { name: "Open the run" })).toHaveAttribute("href", runUrl);
  await saveScreenshot(mail, "email-run-published");

  // Avery's deliveries page: both, delivered, with the payload as the receivers get it (text, not markup).
  // (the catcher has Pat's email a moment before the outbox records it as delivered: the page is read until it says so)
  await page.goto(`${DELIVERIES}?status=delivered`);
  await expect(page.getByRole("heading", { level: 1, name: "Deliveries" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Filter deliveries by status" }).getByRole("link", { name: "Delivered" }),
  ).toHaveAttribute("aria-current", "page");
  const rows = deliveriesOf(page, runId);
  const ritaRow = rows.filter({ has: addressOf(page, rita.email) });
  await expect(ritaRow.getByTestId("delivery-event")).toHaveText("review.requested");
  await expect(ritaRow.getByTestId("delivery-status")).toHaveText(/Delivered/);
  const patRow = rows.filter({ has: addressOf(page, member("Pat").email) });
  await expect(async () => {
    await page.reload();
    await expect(patRow.getByTestId("delivery-event")).toHaveText("run.published", { timeout: 1_000 });
  }).toPass();
  await expect(patRow.getByTestId("delivery-status")).toHaveText(/Delivered/);
  await expect(patRow.getByRole("button", { name: /Retry now/ })).toHaveCount(0);
  await ritaRow.locator("summary").click();
  const payload = ritaRow.getByTestId("delivery-payload");
  await expect(payload).toContainText(`"brief": ${JSON.stringify(MARKUP_BRIEF)}`);
  await expect(payload).toContainText(`"runId": "${runId}"`);
  await expect(payload.locator("b, i")).toHaveCount(0);
  await expectNoSeriousViolations(page, "deliveries page");
  await saveScreenshot(page, "deliveries");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(deliveriesOf(page, runId).first()).toBeVisible();
  await expectNoHorizontalScroll(page, "deliveries page at 390 px");
  await saveScreenshot(page, "deliveries-390");
});

test("Rita turns off review emails on Settings: the next draft is emailed to Avery and Ana but not to her, until she turns them on again", async ({
  page,
  pageAs,
  apiAs,
}) => {
  const pat = await apiAs("Pat");
  const rita = await pageAs("Rita");

  // The unsubscribe link of every email opens her notification settings.
  await rita.goto("/settings#notifications");
  const notifications = rita.getByRole("region", { name: "Notifications" });
  await expect(notifications).toBeInViewport();
  await expect(notifications.getByTestId("notification-address")).toContainText(member("Rita").email);
  await expect(notifications.getByText("This server sends no email")).toHaveCount(0);
  await expect(notifications.getByRole("link", { name: "Notification channels" })).toHaveCount(0); // admins only
  const reviews = notifications.getByRole("group", { name: "Email me when" }).getByLabel("A draft awaits my review");
  await expect(reviews).toBeChecked();
  await reviews.uncheck();
  await notifications.getByRole("button", { name: "Save notifications" }).click();
  await expect(notifications.getByRole("status")).toHaveText("Saved: you get email for 7 of 8 kinds of event.");
  await rita.reload();
  await expect(reviews).not.toBeChecked();
  await expect(notifications.getByLabel("My brief was approved and published")).toBeChecked();
  await expectNoSeriousViolations(rita, "settings with notifications");
  await saveScreenshot(rita, "settings-notifications");
  await rita.setViewportSize({ width: 390, height: 844 });
  await notifications.scrollIntoViewIfNeeded();
  await expectNoHorizontalScroll(rita, "settings notifications at 390 px");
  await saveScreenshot(rita, "settings-notifications-390");

  // The next brief: the other reviewers are emailed, Rita is not, and the outbox has no delivery to her at all.
  const runId = await submitBrief(
    pat,
    "Introduce the shared shopping list, mention offline mode, invite families to try it.",
  );
  await waitForRun(pat, runId, "awaiting_review", 1);
  await waitForMessage(member("Avery").email, aboutRun(runId), "the review request");
  await waitForMessage(member("Ana").email, aboutRun(runId), "the review request");
  await page.goto(DELIVERIES);
  const rows = deliveriesOf(page, runId);
  await expect(rows.filter({ has: addressOf(page, member("Ana").email) })).toHaveCount(1);
  await expect(rows.filter({ has: addressOf(page, member("Avery").email) })).toHaveCount(1);
  await expect(rows.filter({ has: addressOf(page, member("Rita").email) })).toHaveCount(0);
  expect(await messagesTo(member("Rita").email, aboutRun(runId))).toEqual([]);

  // She turns them on again.
  await rita.setViewportSize({ width: 1280, height: 720 });
  await reviews.check();
  await notifications.getByRole("button", { name: "Save notifications" }).click();
  await expect(notifications.getByRole("status")).toHaveText("Saved: you get email for 8 of 8 kinds of event.");
  await answerOverHttp(await apiAs("Ana"), await waitForRun(pat, runId, "awaiting_review", 1), "approve");
  await waitForRun(pat, runId, "completed");
});

test("an admin adds a webhook endpoint, copies its secret once, sends a signed test event and removes it; Slack connects and disconnects", async ({
  page,
}) => {
  const receiver = await startHttpReceiver();
  try {
    // From Settings to the channels page.
    await page.goto("/settings");
    await page
      .getByRole("region", { name: "Notifications" })
      .getByRole("link", { name: "Notification channels" })
      .click();
    await expect(page).toHaveURL(/\/settings\/notifications$/);
    await expect(page.getByRole("heading", { level: 1, name: "Notification channels" })).toBeVisible();
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }),
    ).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("email-channel")).toContainText("Draftgate <draftgate@example.com>");

    // A plain-http URL to another machine is refused beside the field.
    const webhooks = page.getByRole("region", { name: /^Webhook endpoints/ });
    const urlField = webhooks.getByLabel("Endpoint URL");
    await urlField.fill("http://hooks.example.com/draftgate");
    await webhooks.getByRole("button", { name: "Add endpoint" }).click();
    await expect(urlField).toHaveAttribute("aria-invalid", "true");
    await expect(urlField).toHaveAccessibleDescription(/Use https:\/\/ \(plain http only to this machine\)\./);
    await expect(urlField).toBeFocused();

    // A loopback receiver is fine; its secret is shown once.
    const endpointUrl = `${receiver.url}/draftgate`;
    await urlField.fill(endpointUrl);
    await webhooks.getByLabel("Description").fill("Release bot");
    await webhooks.getByRole("group", { name: "Events" }).getByLabel("review.reminder").uncheck();
    await webhooks.getByRole("button", { name: "Add endpoint" }).click();
    await expect(webhooks.getByRole("status").filter({ hasText: "added" })).toHaveText(
      `Endpoint ${endpointUrl} added. Copy its signing secret now: it is shown once.`,
    );
    const secretField = webhooks.getByLabel("Signing secret");
    await expect(secretField).toHaveValue(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    const secret = await secretField.inputValue();
    await expect(webhooks.getByText("It will not be shown again.", { exact: false })).toBeVisible();
    const endpoint = webhooks.getByTestId("webhook-endpoint").filter({ hasText: "Release bot" });
    await expect(endpoint).toContainText(endpointUrl);
    await expect(endpoint.getByRole("list", { name: "Events it receives" }).getByRole("listitem")).toHaveCount(7);
    await expect(endpoint.getByRole("list", { name: "Events it receives" })).not.toContainText("review.reminder");
    await saveScreenshot(page, "notification-channels-secret");

    // The test event: delivered, signed with that secret (Standard Webhooks).
    await endpoint.getByRole("button", { name: "Send test event to Release bot" }).click();
    await expect(endpoint.getByRole("status").first()).toHaveText(
      "Delivered: the endpoint answered with a 2xx status.",
    );
    const tests = receiver.received.filter((request) => request.body.includes('"webhook.test"'));
    expect(tests).toHaveLength(1);
    const [request] = tests;
    expect(request!.path).toBe("/draftgate");
    expect(request!.headers["webhook-id"]).toBeTruthy();
    expect(request!.headers["webhook-signature"]).toMatch(/^v1,/);
    const verified = new Webhook(secret).verify(request!.body, {
      "webhook-id": String(request!.headers["webhook-id"]),
      "webhook-timestamp": String(request!.headers["webhook-timestamp"]),
      "webhook-signature": String(request!.headers["webhook-signature"]),
    }) as { type: string; data: { message: string } };
    expect(verified.type).toBe("webhook.test");

    // Slack: connected by its URL, shown afterwards only by a hint; disconnected with a second click.
    const slack = page.getByRole("region", { name: "Slack" });
    await slack.getByLabel("Incoming-webhook URL").fill(`${receiver.url}/services/T000/B000/slacksecret`);
    await slack.getByRole("button", { name: "Connect Slack" }).click();
    await expect(slack.getByRole("status")).toHaveText(/^Slack connected: posting to 127\.0\.0\.1:\d+\/…cret\.$/);
    await expect(slack.getByTestId("slack-status")).toContainText("Connected");

    // After a reload: neither secret is on the page.
    await page.reload();
    await expect(webhooks.getByLabel("Signing secret")).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).not.toContain("slacksecret");
    await expect(slack.getByTestId("slack-status")).toContainText("Connected");
    await expect(page.getByTestId("delivery-count-delivered")).not.toHaveText(/^0/);
    await expectNoSeriousViolations(page, "notification channels");
    await saveScreenshot(page, "notification-channels");

    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoHorizontalScroll(page, "notification channels at 390 px");
    await saveScreenshot(page, "notification-channels-390");
    await page.setViewportSize({ width: 1280, height: 720 });

    await slack.getByRole("button", { name: "Disconnect Slack" }).click();
    await slack.getByRole("button", { name: "Disconnect Slack now" }).click();
    await expect(slack.getByRole("status")).toHaveText("Slack disconnected: nothing more is posted there.");
    await expect(slack.getByTestId("slack-status")).toContainText("Not connected");

    // The test event is on the deliveries page, delivered to the endpoint.
    await page.getByRole("region", { name: "Deliveries" }).getByRole("link", { name: "See every delivery" }).click();
    await expect(page).toHaveURL(new RegExp(`${DELIVERIES}$`));
    const testRow = page.getByTestId("delivery").filter({ has: addressOf(page, endpointUrl) });
    await expect(testRow.getByTestId("delivery-event")).toHaveText("webhook.test");
    await expect(testRow.getByTestId("delivery-status")).toHaveText(/Delivered/);

    // Removing takes a second click; afterwards nothing is listed.
    await page.goBack();
    await endpoint.getByRole("button", { name: "Remove endpoint Release bot" }).click();
    await endpoint.getByRole("button", { name: "Remove endpoint Release bot now" }).click();
    await expect(webhooks.getByRole("status").filter({ hasText: "removed" })).toHaveText(
      `Endpoint ${endpointUrl} removed: nothing more is sent to it.`,
    );
    await expect(webhooks.getByTestId("webhook-endpoint")).toHaveCount(0);
    await expect(webhooks.getByRole("heading", { name: "Webhook endpoints (0)" })).toBeVisible();
  } finally {
    await receiver.close();
  }
});

test("a test event to a failing endpoint says why and that it will be retried; Retry now on the deliveries page delivers it", async ({
  page,
}) => {
  const receiver = await startHttpReceiver([{ status: 503 }, { status: 204 }]);
  try {
    await page.goto("/settings/notifications");
    const webhooks = page.getByRole("region", { name: /^Webhook endpoints/ });
    const endpointUrl = `${receiver.url}/flaky`;
    await webhooks.getByLabel("Endpoint URL").fill(endpointUrl);
    await webhooks.getByLabel("Description").fill("Flaky receiver");
    await webhooks.getByRole("button", { name: "Add endpoint" }).click();
    await expect(webhooks.getByLabel("Signing secret")).toHaveValue(/^whsec_/);
    const endpoint = webhooks.getByTestId("webhook-endpoint").filter({ hasText: "Flaky receiver" });
    await endpoint.getByRole("button", { name: "Send test event to Flaky receiver" }).click();
    await expect(endpoint.getByRole("status").first()).toHaveText(
      /^Not delivered: The endpoint answered HTTP 503\. It will be retried at .+\. See Deliveries\.$/,
    );
    expect(receiver.received).toHaveLength(1);

    // The deliveries page: pending, one attempt, the error and when it is tried next; Retry now delivers it.
    await page.getByRole("region", { name: "Deliveries" }).getByTestId("delivery-count-pending").click();
    await expect(page).toHaveURL(new RegExp(`${DELIVERIES}\\?status=pending$`));
    const row = page.getByTestId("delivery").filter({ has: addressOf(page, endpointUrl) });
    await expect(row.getByTestId("delivery-status")).toHaveText(/Pending/);
    await expect(row).toContainText("The endpoint answered HTTP 503");
    await expect(row.getByTestId("delivery-attempts")).toHaveText("1");
    await expect(row.locator("time")).toHaveCount(2); // when it was made, and its next attempt
    await expectNoSeriousViolations(page, "deliveries page with a pending delivery");
    await saveScreenshot(page, "deliveries-pending");
    await row.getByRole("button", { name: /^Retry now/ }).click();
    await expect(row.getByRole("status")).toHaveText("Delivered.");
    await expect(row.getByTestId("delivery-status")).toHaveText(/Delivered/);
    await expect(row.getByTestId("delivery-attempts")).toHaveText("1"); // Retry now starts a fresh round of attempts
    await expect(row.getByRole("button", { name: /^Retry now/ })).toHaveCount(0);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers["webhook-id"]).toBe(receiver.received[0]!.headers["webhook-id"]); // one delivery, one idempotency key
  } finally {
    await receiver.close();
  }
});

test("reviewers and authors choose their own notifications but see no channels or deliveries", async ({ pageAs }) => {
  const rita = await pageAs("Rita");
  await rita.goto("/settings/notifications");
  await expect(rita.getByText("Only admins can set up notification channels.")).toBeVisible();
  await expect(rita.getByRole("region", { name: /^Webhook endpoints/ })).toHaveCount(0);
  await rita.goto(DELIVERIES);
  await expect(rita.getByText("Only admins can see notification deliveries.")).toBeVisible();
  await expect(rita.getByTestId("delivery")).toHaveCount(0);

  const pat = await pageAs("Pat");
  await pat.goto("/settings");
  const notifications = pat.getByRole("region", { name: "Notifications" });
  await expect(notifications.getByTestId("notification-address")).toContainText(member("Pat").email);
  await expect(notifications.getByLabel("My brief was approved and published")).toBeChecked();
  await expect(notifications.getByRole("link", { name: "Notification channels" })).toHaveCount(0);
});
