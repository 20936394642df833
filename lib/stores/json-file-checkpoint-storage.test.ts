import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isWorkflowError } from "@/lib/workflow";
import { describeCheckpointStorageContract, makeRecord } from "@/lib/workflow/testing";
import { JsonFileCheckpointStorage } from "./json-file-checkpoint-storage";

function makeTempDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "draftgate-json-store-"));
}

describeCheckpointStorageContract("JsonFileCheckpointStorage", async () => {
  const directory = makeTempDirectory();
  return {
    storage: new JsonFileCheckpointStorage({ directory }),
    cleanup: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
});

describe("JsonFileCheckpointStorage files", () => {
  let directory: string;

  beforeEach(() => {
    directory = makeTempDirectory();
  });

  afterEach(() => {
    fs.rmSync(directory, { recursive: true, force: true });
  });

  async function captureError(promise: Promise<unknown>): Promise<unknown> {
    return promise.then(
      () => expect.fail("expected a rejection"),
      (error: unknown) => error,
    );
  }

  it("reports a truncated checkpoint file as CHECKPOINT_CORRUPT naming the checkpoint and the file", async () => {
    const storage = new JsonFileCheckpointStorage({ directory });
    const record = makeRecord({ checkpointId: "cp-truncated" });
    await storage.save(record);
    const file = path.join(directory, "checkpoints", "cp-truncated.json");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.slice(0, text.length / 2));

    const error = await captureError(storage.load("cp-truncated"));

    expect(isWorkflowError(error, "CHECKPOINT_CORRUPT")).toBe(true);
    expect(String((error as Error).message)).toContain("cp-truncated");
    expect(String((error as Error).message)).toContain(file);
    expect(await captureError(storage.list())).toSatisfy((e) => isWorkflowError(e, "CHECKPOINT_CORRUPT"));
  });

  it("reports valid JSON of the wrong shape as CHECKPOINT_CORRUPT naming the field", async () => {
    const storage = new JsonFileCheckpointStorage({ directory });
    await storage.save(makeRecord({ checkpointId: "cp-shape" }));
    const file = path.join(directory, "checkpoints", "cp-shape.json");
    const content = JSON.parse(fs.readFileSync(file, "utf8"));
    content.record.kind = "bogus";
    fs.writeFileSync(file, JSON.stringify(content));

    const error = await captureError(storage.load("cp-shape"));

    expect(isWorkflowError(error, "CHECKPOINT_CORRUPT")).toBe(true);
    expect(isWorkflowError(error) && error.details).toMatchObject({ checkpointId: "cp-shape", field: "record.kind" });
  });

  it("reports a garbage checkpoint file as CHECKPOINT_CORRUPT and still lets it be deleted", async () => {
    const storage = new JsonFileCheckpointStorage({ directory });
    await storage.save(makeRecord({ checkpointId: "cp-garbage" }));
    fs.writeFileSync(path.join(directory, "checkpoints", "cp-garbage.json"), "\u0000not json at all");

    expect(await captureError(storage.load("cp-garbage"))).toSatisfy((e) => isWorkflowError(e, "CHECKPOINT_CORRUPT"));
    expect(await storage.delete("cp-garbage")).toBe(true);
    expect(await storage.list()).toEqual([]);
  });

  it("stores ids with path separators safely inside the checkpoints directory", async () => {
    const storage = new JsonFileCheckpointStorage({ directory });
    const record = makeRecord({ checkpointId: "../escape/..\\x" });
    await storage.save(record);

    expect(fs.readdirSync(directory).sort()).toEqual(["blobs", "checkpoints", "responses"]);
    expect(await storage.load("../escape/..\\x")).toEqual(record);
  });

  it("leaves no temp files behind after saving", async () => {
    const storage = new JsonFileCheckpointStorage({ directory, fsync: true });
    const record = makeRecord();
    await storage.save(record, { blobs: [{ hash: "h1", data: "1" }] });

    for (const sub of ["checkpoints", "blobs", "responses"]) {
      expect(fs.readdirSync(path.join(directory, sub)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    }
  });

  it("continues the save order across instances on the same directory", async () => {
    const createdAt = new Date("2026-03-01T00:00:00.000Z").toISOString();
    await new JsonFileCheckpointStorage({ directory }).save(makeRecord({ checkpointId: "cp-first", createdAt }));
    const reopened = new JsonFileCheckpointStorage({ directory });
    await reopened.save(makeRecord({ checkpointId: "cp-second", createdAt }));

    expect((await reopened.list()).map((h) => h.checkpointId)).toEqual(["cp-second", "cp-first"]);
  });
});
