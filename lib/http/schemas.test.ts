import { describe, expect, it } from "vitest";
import {
  answerRequestBodySchema,
  createRunBodySchema,
  listReviewsQuerySchema,
  listRunsQuerySchema,
  resumeBodySchema,
  reviewPolicyBodySchema,
} from "./schemas";
import { validate } from "./parse";

describe("API body schemas", () => {
  it("takes a brief and drops any claimed submitter (who submits comes from the session)", () => {
    expect(validate(createRunBodySchema, { brief: "Ship it", submittedBy: "mallory" })).toEqual({ brief: "Ship it" });
    expect(() => validate(createRunBodySchema, { submittedBy: "pat" })).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED", fieldErrors: { brief: ["The brief must be text."] } }),
    );
  });

  it("answers exactly one request per call", () => {
    expect(validate(answerRequestBodySchema, { responses: { "req-1": "approve" }, respondedBy: "mallory" })).toEqual({
      requestId: "req-1",
      response: "approve",
    });
    for (const responses of [{}, { a: "approve", b: "approve" }]) {
      expect(() => validate(answerRequestBodySchema, { responses })).toThrow(
        expect.objectContaining({
          code: "VALIDATION_FAILED",
          message: expect.stringMatching(/exactly one request/),
          fieldErrors: { responses: [expect.any(String)] },
        }),
      );
    }
    expect(() => validate(answerRequestBodySchema, { responses: { "req-1": 7 } })).toThrow(
      expect.objectContaining({ fieldErrors: { "responses.req-1": [expect.stringMatching(/must be text/)] } }),
    );
    expect(() => validate(answerRequestBodySchema, { responses: "approve" })).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });

  it("resumes with or without pre-supplied responses", () => {
    expect(validate(resumeBodySchema, {})).toEqual({});
    expect(validate(resumeBodySchema, { branch: true })).toMatchObject({ branch: true });
    expect(() => validate(resumeBodySchema, { branch: "yes" })).toThrow(
      expect.objectContaining({ fieldErrors: { branch: [expect.any(String)] } }),
    );
    expect(validate(resumeBodySchema, { responses: { a: "approve", b: "Shorter." }, respondedBy: "sam" })).toEqual({
      responses: { a: "approve", b: "Shorter." },
    });
    expect(validate(resumeBodySchema, { reason: "A typo in the price." })).toEqual({ reason: "A typo in the price." });
  });

  it("takes decision objects as answers, and any subset of the approval policy's fields (null turns a timer off)", () => {
    expect(
      validate(answerRequestBodySchema, { responses: { "req-1": { decision: "reject", reason: "No." } } }),
    ).toEqual({ requestId: "req-1", response: { decision: "reject", reason: "No." } });
    expect(validate(reviewPolicyBodySchema, { deadlineMinutes: 60, reminderMinutesBefore: null })).toEqual({
      deadlineMinutes: 60,
      reminderMinutesBefore: null,
    });
    expect(validate(reviewPolicyBodySchema, {})).toEqual({});
    expect(() => validate(reviewPolicyBodySchema, [])).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });
});

describe("API query schemas", () => {
  it("accepts the four run statuses and a limit from 1 to 200", () => {
    for (const status of ["running", "awaiting_review", "completed", "failed"])
      expect(validate(listRunsQuerySchema, { status })).toEqual({ status });
    expect(validate(listRunsQuerySchema, { limit: "200", cursor: "abc" })).toEqual({ limit: 200, cursor: "abc" });
  });

  it.each([
    { status: "done" },
    { status: "RUNNING" },
    { limit: "0" },
    { limit: "201" },
    { limit: "2.5" },
    { limit: "ten" },
  ])("refuses %o", (query) => {
    expect(() => validate(listRunsQuerySchema, query)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
  });

  it("bounds the inbox limit", () => {
    expect(validate(listReviewsQuerySchema, { limit: "50" })).toEqual({ limit: 50 });
    expect(() => validate(listReviewsQuerySchema, { limit: "1001" })).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });
});
