import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isTrustedHost } from "./security-headers";

const policy = { appUrl: "https://drafts.example.com", port: 3000, allowedHosts: ["drafts.internal", "10.0.0.5:3000"] };

describe("isTrustedHost (DNS-rebinding defence)", () => {
  it.each([
    ["APP_URL's host", "drafts.example.com"],
    ["APP_URL's host with its default port written out", "drafts.example.com:443"],
    ["localhost on the server's port", "localhost:3000"],
    ["127.0.0.1 on the server's port", "127.0.0.1:3000"],
    ["[::1] on the server's port", "[::1]:3000"],
    ["an allow-listed name, on any port", "drafts.internal:8080"],
    ["an allow-listed host:port", "10.0.0.5:3000"],
    ["a name in capitals", "DRAFTS.EXAMPLE.COM"],
  ])("trusts %s", (_label, host) => {
    expect(isTrustedHost(host, policy)).toBe(true);
  });

  it.each([
    ["an attacker's name resolving here", "evil.example"],
    ["a subdomain of APP_URL's host", "x.drafts.example.com"],
    ["loopback on another port", "127.0.0.1:4000"],
    ["an allow-listed host on another port", "10.0.0.5:3001"],
    ["a missing Host", null],
  ])("refuses %s", (_label, host) => {
    expect(isTrustedHost(host, policy)).toBe(false);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the request's nonce, forbids framing, and adds the company sign-in as a form target", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", isDev: false, formTargets: ["https://login.example.com"] });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://login.example.com");
    expect(csp).toContain("object-src 'none'");
  });
});
