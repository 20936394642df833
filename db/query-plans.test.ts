import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-database";
import { openDatabase, type DatabaseConnection } from "./client";
import { cancelRequestTimersQuery } from "./timer-queries";

// SQLite picks an index by the shape of the WHERE clause (no statistics here): a statement on the hot path that
// picks a broad index walks every row it covers. These pin the plans that benchmarks showed to matter.

let temp: ReturnType<typeof makeTempDir>;
let connection: DatabaseConnection;

beforeAll(() => {
  temp = makeTempDir();
  connection = openDatabase(temp.file("plans.db"));
});
afterAll(() => {
  connection.close();
  temp.cleanup();
});

function planOf(query: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql, params } = query.toSQL();
  const rows = connection.sqlite.prepare(`explain query plan ${sql}`).all(...params) as Array<{ detail: string }>;
  return rows.map((row) => row.detail).join(" | ");
}

describe("query plans", () => {
  it("closes a request's timers through the request's index, not by walking every pending timer", () => {
    // before migration 0007 this used durable_timers_due_idx (fired = ?, cancelled = ?, due > ?): at 10,000 paused
    // runs that was about 6 ms of every answer
    expect(planOf(cancelRequestTimersQuery(connection.db, "request-1", Date.now()))).toMatch(
      /USING INDEX durable_timers_request_pending_idx \(request_id=\?/,
    );
  });
});
