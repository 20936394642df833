import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "./origin";

/** A POST carrying the session cookie, as a browser sends it (cross-site too: the cookie is ambient). */
function post(headers: Record<string, string>): Request {
  return new Request("http://127.0.0.1:3000/api/runs", {
    method: "POST",
    headers: { cookie: "draftgate.session_token=abc", ...headers },
  });
}

describe("assertSameOrigin", () => {
  it("allows a request authenticated by an API key, with or without an Origin (scripts)", () => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000", authorization: "Bearer dg_key" }))).not.toThrow();
    expect(() =>
      assertSameOrigin(
        post({ host: "127.0.0.1:3000", authorization: "Bearer dg_key", origin: "https://evil.example" }),
      ),
    ).not.toThrow();
  });

  it("refuses a cookie-authenticated change without an Origin header", () => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000" }))).toThrow(
      expect.objectContaining({ code: "FORBIDDEN_ORIGIN" }),
    );
  });

  it("leaves a request without any credential to the actor check (401), whatever its Origin", () => {
    const anonymous = new Request("http://127.0.0.1:3000/api/runs", {
      method: "POST",
      headers: { host: "127.0.0.1:3000", origin: "https://evil.example" },
    });
    expect(() => assertSameOrigin(anonymous)).not.toThrow();
  });

  it("refuses a same-origin body that is not declared as JSON (what a cross-site form would send)", () => {
    const form = new Request("http://127.0.0.1:3000/api/runs", {
      method: "POST",
      headers: {
        cookie: "draftgate.session_token=abc",
        host: "127.0.0.1:3000",
        origin: "http://127.0.0.1:3000",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "brief=x",
    });
    expect(() => assertSameOrigin(form)).toThrow(
      expect.objectContaining({ code: "FORBIDDEN_ORIGIN", message: expect.stringMatching(/application\/json/) }),
    );
    const json = new Request("http://127.0.0.1:3000/api/runs", {
      method: "POST",
      headers: {
        cookie: "draftgate.session_token=abc",
        host: "127.0.0.1:3000",
        origin: "http://127.0.0.1:3000",
        "content-type": "application/json",
      },
      body: "{}",
    });
    expect(() => assertSameOrigin(json)).not.toThrow();
  });

  it("allows an Origin whose host and port match the Host header", () => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }))).not.toThrow();
    expect(() =>
      assertSameOrigin(post({ host: "Drafts.Example.com", origin: "https://drafts.example.com" })),
    ).not.toThrow();
  });

  it("treats a default port written out in Host as the same host", () => {
    expect(() =>
      assertSameOrigin(post({ host: "drafts.example.com:443", origin: "https://drafts.example.com" })),
    ).not.toThrow();
  });

  it("prefers X-Forwarded-Host (set by a proxy) over Host", () => {
    expect(() =>
      assertSameOrigin(
        post({ host: "10.0.0.5:3000", "x-forwarded-host": "drafts.example.com", origin: "https://drafts.example.com" }),
      ),
    ).not.toThrow();
    expect(() =>
      assertSameOrigin(
        post({ host: "drafts.example.com", "x-forwarded-host": "internal:3000", origin: "https://drafts.example.com" }),
      ),
    ).toThrow();
  });

  it.each([
    ["another site", "https://evil.example"],
    ["the same host on another port", "http://127.0.0.1:4000"],
    ["a subdomain", "http://sub.127.0.0.1:3000"],
    ["an opaque origin", "null"],
    ["a malformed origin", "not a url"],
    ["a non-web scheme", "file://127.0.0.1:3000"],
  ])("refuses %s with FORBIDDEN_ORIGIN", (_label, origin) => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000", origin }))).toThrow(
      expect.objectContaining({ code: "FORBIDDEN_ORIGIN" }),
    );
  });

  it("refuses an Origin when the request names no host to compare with", () => {
    expect(() =>
      assertSameOrigin(
        new Request("http://x/api/runs", {
          method: "POST",
          headers: { cookie: "draftgate.session_token=abc", origin: "http://x" },
        }),
      ),
    ).toThrow(expect.objectContaining({ code: "FORBIDDEN_ORIGIN" }));
  });
});
