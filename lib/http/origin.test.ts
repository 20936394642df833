import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "./origin";

function post(headers: Record<string, string>): Request {
  return new Request("http://127.0.0.1:3000/api/runs", { method: "POST", headers });
}

describe("assertSameOrigin", () => {
  it("allows requests without an Origin header (curl, the CLI, scripts)", () => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000" }))).not.toThrow();
  });

  it("allows an Origin whose host and port match the Host header", () => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" }))).not.toThrow();
    expect(() => assertSameOrigin(post({ host: "Drafts.Example.com", origin: "https://drafts.example.com" }))).not.toThrow();
  });

  it("treats a default port written out in Host as the same host", () => {
    expect(() => assertSameOrigin(post({ host: "drafts.example.com:443", origin: "https://drafts.example.com" }))).not.toThrow();
  });

  it("prefers X-Forwarded-Host (set by a proxy) over Host", () => {
    expect(() => assertSameOrigin(post({ host: "10.0.0.5:3000", "x-forwarded-host": "drafts.example.com", origin: "https://drafts.example.com" }))).not.toThrow();
    expect(() => assertSameOrigin(post({ host: "drafts.example.com", "x-forwarded-host": "internal:3000", origin: "https://drafts.example.com" }))).toThrow();
  });

  it.each([
    ["another site", "https://evil.example"],
    ["the same host on another port", "http://127.0.0.1:4000"],
    ["a subdomain", "http://sub.127.0.0.1:3000"],
    ["an opaque origin", "null"],
    ["a malformed origin", "not a url"],
    ["a non-web scheme", "file://127.0.0.1:3000"],
  ])("refuses %s with FORBIDDEN_ORIGIN", (_label, origin) => {
    expect(() => assertSameOrigin(post({ host: "127.0.0.1:3000", origin }))).toThrow(expect.objectContaining({ code: "FORBIDDEN_ORIGIN" }));
  });

  it("refuses an Origin when the request names no host to compare with", () => {
    expect(() => assertSameOrigin(new Request("http://x/api/runs", { method: "POST", headers: { origin: "http://x" } }))).toThrow(
      expect.objectContaining({ code: "FORBIDDEN_ORIGIN" }),
    );
  });
});
