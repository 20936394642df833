import { describe, expect, it } from "vitest";
import { describeDeliveryOutcome } from "./delivery-outcome";

describe("describeDeliveryOutcome", () => {
  it("says a delivered one was delivered", () => {
    expect(
      describeDeliveryOutcome({
        status: "delivered",
        lastError: "The endpoint answered HTTP 503",
        nextAttemptAt: null,
      }),
    ).toBe("Delivered.");
  });

  it("gives a pending one's error once (without a doubled full stop) and when it is tried next", () => {
    const text = describeDeliveryOutcome({
      status: "pending",
      lastError: "Connection refused.",
      nextAttemptAt: "2026-12-01T09:00:30.000Z",
    });
    expect(text).toMatch(/^Not delivered: Connection refused\. It will be retried at .+2026.+\.$/);
    expect(describeDeliveryOutcome({ status: "pending", lastError: null, nextAttemptAt: null })).toBe(
      "Not delivered: no answer. It will be retried.",
    );
  });

  it("says Draftgate gave up on a dead one", () => {
    expect(
      describeDeliveryOutcome({ status: "dead", lastError: "The endpoint answered HTTP 410", nextAttemptAt: null }),
    ).toBe("Not delivered: The endpoint answered HTTP 410. Draftgate gave up on it.");
  });
});
