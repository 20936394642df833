import http from "node:http";
import { member } from "./fixtures/people";
import { expect, test } from "./fixtures/test";

// Browser-facing defences of docs/SECURITY.md ("Web security") against the real server.

/** A raw GET to the app with any Host header (fetch and browsers would not let a test choose it). */
function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: Number(process.env.E2E_PORT), path, method: "GET", headers: { Host: host } },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    request.end();
  });
}

test.use({ signedInAs: "Rita" });

test("refuses a request for another host name with 421 (DNS rebinding), and answers its own names", async () => {
  const port = process.env.E2E_PORT;
  for (const host of ["evil.example", `evil.example:${port}`, "127.0.0.1.nip.io", `localhost:${Number(port) + 1}`]) {
    const refused = await getWithHost("/api/health", host);
    expect(refused.status, `Host: ${host}`).toBe(421);
    expect(refused.body).toContain("does not answer to that host name");
  }
  expect((await getWithHost("/sign-in", "evil.example")).status).toBe(421);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    expect((await getWithHost("/api/health", host)).status, `Host: ${host}`).toBe(200);
  }
});

test("every page carries a nonce-based Content-Security-Policy that forbids framing, and the other security headers", async ({
  page,
  anonymousApi,
}) => {
  const nonces = new Set<string>();
  for (const path of ["/reviews", "/runs", "/runs/new", "/settings"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const headers = await response!.allHeaders();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
    expect(nonce, `${path}: script-src with a nonce in ${csp}`).toBeTruthy();
    nonces.add(nonce!);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["x-powered-by"], `${path} names no framework`).toBeUndefined();
    // Next put the request's nonce on the scripts it rendered (and the page works: the nav is interactive).
    const scriptNonces = await page
      .locator("script[nonce]")
      .evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).nonce));
    expect(scriptNonces.length, `${path}: scripts with a nonce`).toBeGreaterThan(0);
    expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  }
  expect(nonces.size, "a fresh nonce per response").toBe(4);

  // API answers and the signed-out pages get the headers too.
  for (const path of ["/api/health", "/sign-in"]) {
    const response = await anonymousApi.get(path);
    expect(response.headers()["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(response.headers()["x-content-type-options"], path).toBe("nosniff");
    expect(response.headers()["x-powered-by"], path).toBeUndefined();
  }
});

test("the session cookie is HttpOnly and SameSite=Lax, and page scripts cannot read it", async ({ pageAs }) => {
  const page = await pageAs(null);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(member("Ana").email);
  await page.getByLabel("Password", { exact: true }).fill(member("Ana").password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Signed in as Ana (reviewer)");

  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === "draftgate.session_token");
  expect(session, `cookies: ${cookies.map((cookie) => cookie.name).join(", ")}`).toMatchObject({
    httpOnly: true,
    sameSite: "Lax",
    secure: false,
    path: "/",
  });
  expect(await page.evaluate(() => document.cookie)).not.toContain("draftgate.session_token");
});

test("the health check answers without credentials; every other API route asks for them", async ({ anonymousApi }) => {
  const health = await anonymousApi.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });
  const runs = await anonymousApi.get("/api/runs");
  expect(runs.status()).toBe(401);
  expect(await runs.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
});

test("an injected inline event handler is blocked by the policy, and the CSP watch every test runs with reports it (a check of the check)", async ({
  page,
  cspWatch,
}) => {
  await page.goto("/reviews");
  await expect(page.getByRole("heading", { level: 1, name: "Review inbox" })).toBeVisible();
  // What a markup injection would try: an inline handler on an image that loads.
  await page.evaluate(() =>
    document.body.insertAdjacentHTML("beforeend", `<img alt="" src="/icon.svg" onload="window.__injectedRan = true">`),
  );
  await expect
    .poll(() => cspWatch.violations.length, { message: "the blocked handler is reported" })
    .toBeGreaterThan(0);
  expect(cspWatch.violations.join("\n")).toMatch(/script-src/);
  expect(await page.evaluate(() => (window as unknown as { __injectedRan?: boolean }).__injectedRan)).toBeUndefined();
  expect(cspWatch.documentsChecked, "the watch saw the page's document and its policy header").toBeGreaterThan(0);
  cspWatch.violations.length = 0; // expected here; any other violation still fails this test
});
