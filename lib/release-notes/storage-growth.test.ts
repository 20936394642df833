import { describe, expect, it } from "vitest";
import type { CheckpointRecord, SaveOptions } from "@/lib/workflow";
import { InMemoryCheckpointStorage, ScriptedChatClient } from "@/lib/workflow/testing";
import { createReleaseNotesWorkflow } from ".";

/** Counts the bytes each save adds: the record (body, summary, columns) and the blobs it newly stores. */
class ByteCountingStorage extends InMemoryCheckpointStorage {
  bytes = 0;
  private readonly seen = new Set<string>();

  override async save(record: CheckpointRecord, options?: SaveOptions): Promise<void> {
    await super.save(record, options);
    this.bytes += Buffer.byteLength(JSON.stringify(record));
    for (const blob of options?.blobs ?? []) {
      if (this.seen.has(blob.hash)) continue;
      this.seen.add(blob.hash);
      this.bytes += Buffer.byteLength(blob.data) + blob.hash.length;
    }
  }
}

describe("checkpoint storage growth", () => {
  it("adds roughly the same bytes per revision round at round 100 as at round 10", async () => {
    const storage = new ByteCountingStorage();
    const client = new ScriptedChatClient(
      (_messages, call) =>
        `Round ${call}: Meet the limited edition smart coffee grinder, now $249, with a sensor that auto-adjusts the grind for every bean. ` +
        `Revision ${call} keeps it warm and clear, and explains why customers will love fresher coffee every morning without fiddling with settings. ` +
        `Pre-order yours today on our website before this limited run sells out!`,
    );
    const workflow = createReleaseNotesWorkflow({ chatClient: client, storage });
    let result = await workflow.run("Introduce our limited edition smart coffee grinder at $249.");
    const perRound: number[] = [];
    for (let round = 1; round <= 100; round++) {
      const before = storage.bytes;
      result = await workflow.sendResponses({
        [result.pendingRequests[0]!.requestId]: `Round ${round}: make it a little warmer.`,
      });
      expect(result.status).toBe("IDLE_WITH_PENDING_REQUESTS");
      perRound.push(storage.bytes - before);
    }
    const average = (from: number, to: number) =>
      perRound.slice(from - 1, to).reduce((a, b) => a + b, 0) / (to - from + 1);
    const nearTen = average(6, 15);
    const nearHundred = average(91, 100);
    console.info(
      `checkpoint bytes per round: R=10 ${Math.round(nearTen)} B, R=100 ${Math.round(nearHundred)} B, total ${storage.bytes} B`,
    );
    expect(nearHundred).toBeLessThan(nearTen * 1.5);
    expect(nearHundred).toBeLessThan(15 * 1024);
  });
});
