import { describe, expect, it } from "vitest";
import { answerRequestBodySchema, createRunBodySchema, listReviewsQuerySchema, listRunsQuerySchema, resumeBodySchema } from "./schemas";
import { validate } from "./parse";

describe("API body schemas", () => {
  it("takes a brief and an optional submitter, treating null as not given", () => {
    expect(validate(createRunBodySchema, { brief: "Ship it", submittedBy: null })).toEqual({ brief: "Ship it", submittedBy: undefined });
    expect(() => validate(createRunBodySchema, { submittedBy: "pat" })).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED", fieldErrors: { brief: ["The brief must be text."] } }));
    expect(() => validate(createRunBodySchema, { brief: "x", submittedBy: "p".repeat(101) })).toThrow(expect.objectContaining({ fieldErrors: { submittedBy: [expect.any(String)] } }));
  });

  it("answers exactly one request per call", () => {
    expect(validate(answerRequestBodySchema, { responses: { "req-1": "approve" }, respondedBy: "rita" })).toEqual({ requestId: "req-1", response: "approve", respondedBy: "rita" });
    for (const responses of [{}, { a: "approve", b: "approve" }]) {
      expect(() => validate(answerRequestBodySchema, { responses })).toThrow(
        expect.objectContaining({ code: "VALIDATION_FAILED", message: expect.stringMatching(/exactly one request/), fieldErrors: { responses: [expect.any(String)] } }),
      );
    }
    expect(() => validate(answerRequestBodySchema, { responses: { "req-1": 7 } })).toThrow(expect.objectContaining({ fieldErrors: { "responses.req-1": [expect.stringMatching(/must be text/)] } }));
    expect(() => validate(answerRequestBodySchema, { responses: "approve" })).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });

  it("resumes with or without pre-supplied responses", () => {
    expect(validate(resumeBodySchema, {})).toEqual({ responses: undefined, respondedBy: undefined, branch: undefined });
    expect(validate(resumeBodySchema, { branch: true })).toMatchObject({ branch: true });
    expect(() => validate(resumeBodySchema, { branch: "yes" })).toThrow(expect.objectContaining({ fieldErrors: { branch: [expect.any(String)] } }));
    expect(validate(resumeBodySchema, { responses: { a: "approve", b: "Shorter." }, respondedBy: "sam" })).toEqual({ responses: { a: "approve", b: "Shorter." }, respondedBy: "sam", branch: undefined });
  });
});

describe("API query schemas", () => {
  it("accepts the four run statuses and a limit from 1 to 200", () => {
    for (const status of ["running", "awaiting_review", "completed", "failed"]) expect(validate(listRunsQuerySchema, { status })).toEqual({ status });
    expect(validate(listRunsQuerySchema, { limit: "200", cursor: "abc" })).toEqual({ limit: 200, cursor: "abc" });
  });

  it.each([{ status: "done" }, { status: "RUNNING" }, { limit: "0" }, { limit: "201" }, { limit: "2.5" }, { limit: "ten" }])("refuses %o", (query) => {
    expect(() => validate(listRunsQuerySchema, query)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });

  it("bounds the inbox limit", () => {
    expect(validate(listReviewsQuerySchema, { limit: "50" })).toEqual({ limit: 50 });
    expect(() => validate(listReviewsQuerySchema, { limit: "1001" })).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });
});
