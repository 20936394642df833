import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/logger";
import { ServiceError } from "@/lib/services";
import { WorkflowError } from "@/lib/workflow";
import { HttpError } from "./errors";
import { jsonError } from "./respond";

const request = new Request("http://localhost/api/runs/abc/responses", { method: "POST" });

afterEach(() => vi.restoreAllMocks());

describe("jsonError", () => {
  it.each([
    [new HttpError("BAD_REQUEST", "not JSON"), 400, "BAD_REQUEST"],
    [new HttpError("FORBIDDEN_ORIGIN", "cross-site"), 403, "FORBIDDEN_ORIGIN"],
    [new ServiceError("RUN_NOT_FOUND", "Run x was not found"), 404, "RUN_NOT_FOUND"],
    [new WorkflowError("REQUEST_NOT_FOUND", "Request r is not a request of run x"), 404, "REQUEST_NOT_FOUND"],
    [new WorkflowError("CHECKPOINT_NOT_FOUND", "Checkpoint c was not found"), 404, "CHECKPOINT_NOT_FOUND"],
    [new ServiceError("REQUEST_SUPERSEDED", "old branch"), 409, "REQUEST_SUPERSEDED"],
    [
      new ServiceError("VALIDATION_FAILED", "brief: empty", { fieldErrors: { brief: ["empty"] } }),
      422,
      "VALIDATION_FAILED",
    ],
  ])("answers %s with status %i and its code", async (error, status, code) => {
    const response = jsonError(error, request);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = await response.json();
    expect(body.error).toMatchObject({ code, message: error.message });
  });

  it("names who answered first in an already-answered conflict", async () => {
    const error = new WorkflowError(
      "REQUEST_ALREADY_ANSWERED",
      "Request r was already answered by ana at 2025-01-01T00:00:00.000Z",
      {
        requestId: "r",
        answeredBy: "ana",
        answeredAt: "2025-01-01T00:00:00.000Z",
      },
    );
    const response = jsonError(error, request);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: "REQUEST_ALREADY_ANSWERED",
        message: error.message,
        details: { requestId: "r", answeredBy: "ana", answeredAt: "2025-01-01T00:00:00.000Z" },
      },
    });
  });

  it("keeps field errors for validation failures", async () => {
    const body = await jsonError(
      new ServiceError("VALIDATION_FAILED", "brief: empty", { fieldErrors: { brief: ["empty"] } }),
      request,
    ).json();
    expect(body.error.fieldErrors).toEqual({ brief: ["empty"] });
  });

  it("logs an unexpected error with the request's method and path and returns a generic 500 without the stack", async () => {
    const log = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const error = new Error("database exploded at /secret/path.ts:12");
    const response = jsonError(error, request);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("exploded");
    expect(text).not.toMatch(/\bat \S+:\d+/);
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: expect.any(String) } });
    expect(log).toHaveBeenCalledWith(
      { err: error, method: "POST", path: "/api/runs/abc/responses" },
      expect.any(String),
    );
  });

  it("maps errors made by another bundled copy of the services and engine modules (instrumentation vs routes)", async () => {
    vi.resetModules();
    const copyOfServices = await import("@/lib/services/errors");
    const copyOfWorkflow = await import("@/lib/workflow/errors");
    expect(copyOfServices.ServiceError).not.toBe(ServiceError);
    expect(jsonError(new copyOfServices.ServiceError("RUN_NOT_FOUND", "Run x was not found"), request).status).toBe(
      404,
    );
    const answered = jsonError(
      new copyOfWorkflow.WorkflowError("REQUEST_ALREADY_ANSWERED", "already answered by ana", { answeredBy: "ana" }),
      request,
    );
    expect(answered.status).toBe(409);
    expect(await answered.json()).toMatchObject({
      error: { code: "REQUEST_ALREADY_ANSWERED", details: { answeredBy: "ana" } },
    });
  });

  it("does not log expected failures", () => {
    const log = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    jsonError(new ServiceError("RUN_NOT_FOUND", "missing"), request);
    expect(log).not.toHaveBeenCalled();
  });
});
