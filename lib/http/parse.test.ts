import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ServiceError } from "@/lib/services";
import { MAX_BODY_BYTES, parseIdParam, parseJsonBody, parseSearchParams } from "./parse";

const schema = z.object({ brief: z.string({ error: "The brief must be text." }), count: z.number().optional() });

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/api/runs", { method: "POST", body, headers });
}

describe("parseJsonBody", () => {
  it("returns the validated body", async () => {
    await expect(parseJsonBody(post(JSON.stringify({ brief: "Ship it", extra: 1 })), schema)).resolves.toEqual({
      brief: "Ship it",
    });
  });

  it.each([
    ["malformed JSON", "{ brief: nope"],
    ["an empty body", ""],
    ["a whitespace body", "  \n "],
  ])("refuses %s with BAD_REQUEST", async (_label, body) => {
    await expect(parseJsonBody(post(body), schema)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/JSON/),
    });
  });

  it("refuses a body that is not UTF-8 text with BAD_REQUEST", async () => {
    await expect(parseJsonBody(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), schema)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("refuses a body larger than the limit with BAD_REQUEST, whatever Content-Length claims", async () => {
    const big = JSON.stringify({ brief: "x".repeat(MAX_BODY_BYTES) });
    await expect(parseJsonBody(post(big), schema)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/larger than/),
    });
    await expect(
      parseJsonBody(post("{}", { "content-length": String(MAX_BODY_BYTES + 1) }), schema),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("reads an empty body as {} when every field is optional", async () => {
    await expect(
      parseJsonBody(post(null), z.object({ note: z.string().optional() }), { allowEmpty: true }),
    ).resolves.toEqual({});
  });

  it("reports a wrong shape as VALIDATION_FAILED with field errors", async () => {
    const error = await parseJsonBody(post(JSON.stringify({ brief: 42, count: "x" })), schema).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: "VALIDATION_FAILED",
      message: "brief: The brief must be text.",
      fieldErrors: { brief: ["The brief must be text."], count: [expect.any(String)] },
    });
  });

  it("reports JSON that is not an object as VALIDATION_FAILED on the body", async () => {
    await expect(parseJsonBody(post("[1,2]"), schema)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { body: [expect.any(String)] },
    });
  });
});

describe("parseSearchParams", () => {
  const query = z.object({
    status: z.enum(["running", "failed"]).optional(),
    limit: z.coerce.number().int().min(1).optional(),
  });

  it("parses and coerces the query string, treating empty parameters as absent", () => {
    expect(parseSearchParams(new Request("http://localhost/api/runs?status=failed&limit=5"), query)).toEqual({
      status: "failed",
      limit: 5,
    });
    expect(parseSearchParams(new Request("http://localhost/api/runs?status=&limit="), query)).toEqual({});
  });

  it("reports bad parameters as VALIDATION_FAILED naming each one", () => {
    expect(() => parseSearchParams(new Request("http://localhost/api/runs?status=done&limit=0"), query)).toThrow(
      expect.objectContaining({
        code: "VALIDATION_FAILED",
        fieldErrors: { status: [expect.any(String)], limit: [expect.any(String)] },
      }),
    );
  });
});

describe("parseIdParam", () => {
  const notFound = () => new ServiceError("RUN_NOT_FOUND", "No run has that id.");

  it("accepts UUIDs and content hashes", () => {
    expect(parseIdParam("0b6f3c1e-3f5a-4a53-9f0e-2a1d7c9e4b11", notFound)).toBe("0b6f3c1e-3f5a-4a53-9f0e-2a1d7c9e4b11");
    expect(parseIdParam("Abc_123-xyz", notFound)).toBe("Abc_123-xyz");
  });

  it.each([
    ["empty", ""],
    ["too long", "a".repeat(129)],
    ["markup", "<script>"],
    ["spaces", "a b"],
    ["missing", undefined],
  ])("reports a %s id as the resource's not-found error", (_label, value) => {
    expect(() => parseIdParam(value, notFound)).toThrow(expect.objectContaining({ code: "RUN_NOT_FOUND" }));
  });
});
