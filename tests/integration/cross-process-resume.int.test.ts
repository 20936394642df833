import { spawn } from "node:child_process";
import readline from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { SqliteCheckpointStorage } from "@/db/sqlite-checkpoint-storage";
import { makeTempDir } from "@/tests/support/temp-database";

const script = "tests/support/release-notes-process.ts";
const temp = makeTempDir();
afterEach(() => temp.cleanup());

/** Starts the child and resolves with its first JSON line (and the child, still running). */
function startChild(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const firstLine = new Promise<Record<string, unknown>>((resolve, reject) => {
    readline
      .createInterface({ input: child.stdout })
      .once("line", (line) => resolve(JSON.parse(line) as Record<string, unknown>));
    child.once("exit", (code) => reject(new Error(`child exited with ${code}: ${stderr}`)));
  });
  return { child, firstLine };
}

describe("resume across processes", () => {
  it("pauses in one process, is killed, and resumes with a pre-supplied approve in another", async () => {
    const dbFile = temp.file("cross.db");
    const first = startChild(["run", dbFile, "Introduce our smart grinder at $249 and invite pre-orders"]);
    const paused = await first.firstLine;
    expect(paused.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    const request = (paused.pendingRequests as Array<{ requestId: string; data: { draft: string } }>)[0]!;
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      first.child.once("exit", (code, signal) => resolve([code, signal])),
    );
    first.child.kill("SIGKILL");
    // killed, not exited: no shutdown hook ran, nothing was flushed on the way out
    expect(await exited).toEqual([null, "SIGKILL"]);

    const second = startChild([
      "resume",
      dbFile,
      String(paused.lastCheckpointId),
      JSON.stringify({ [request.requestId]: "approve" }),
    ]);
    const resumed = await second.firstLine;
    expect(resumed).toMatchObject({ status: "IDLE", outputs: [request.data.draft], requestEvents: 0 });

    const connection = openDatabase(dbFile);
    try {
      const storage = new SqliteCheckpointStorage(connection);
      const chain = (await storage.list({ runId: String(paused.runId) })).reverse();
      expect(chain.map((header) => header.kind)).toEqual([
        "initial",
        "superstep",
        "superstep",
        "superstep",
        "superstep",
        "responses",
        "superstep",
        "superstep",
      ]);
      chain.forEach((header, i) => expect(header.parentId).toBe(i === 0 ? null : chain[i - 1]!.checkpointId));
      expect(chain.at(-1)!.summary.status).toBe("completed");
      expect(await storage.findResponses(request.requestId)).toMatchObject([
        { response: "approve", answeredBy: "child" },
      ]);
    } finally {
      connection.close();
    }
  }, 30_000);
});
