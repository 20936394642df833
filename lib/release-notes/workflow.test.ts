import { describe, expect, it } from "vitest";
import {
  checkpointSummary,
  pendingRequestsFromCheckpoint,
  type CheckpointStorage,
  type RequestInfo,
  type RunResult,
} from "@/lib/workflow";
import { InMemoryCheckpointStorage, ScriptedChatClient } from "@/lib/workflow/testing";
import {
  createReleaseNotesWorkflow,
  describeCheckpoint,
  DEFAULT_GUIDANCE,
  draftPrompt,
  REVIEW_PROMPT,
  revisionPrompt,
  WRITER_INSTRUCTIONS,
  type HumanApprovalRequest,
} from ".";

const BRIEF =
  "Introduce our limited edition smart coffee grinder. Mention the $249 price, highlight the " +
  "sensor that auto-adjusts the grind, and invite customers to pre-order on the website";

function setup(storage: CheckpointStorage = new InMemoryCheckpointStorage()) {
  const client = new ScriptedChatClient();
  return { storage, client, workflow: createReleaseNotesWorkflow({ chatClient: client, storage }) };
}

function onlyRequest(result: RunResult): RequestInfo & { data: HumanApprovalRequest } {
  expect(result.pendingRequests).toHaveLength(1);
  return result.pendingRequests[0] as RequestInfo & { data: HumanApprovalRequest };
}

describe("release-notes workflow", () => {
  it("runs until the review request and pauses with it pending", async () => {
    const { workflow, client } = setup();
    const result = await workflow.run(`  ${BRIEF}  `);
    expect(result.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    const request = onlyRequest(result);
    expect(request.sourceExecutorId).toBe("review_gateway");
    expect(request.data).toEqual({
      prompt: REVIEW_PROMPT,
      draft: "Draft 1: our new grinder is here. Pre-order today!",
      iteration: 1,
    });
    expect(result.events.filter((event) => event.type === "RequestInfo")).toHaveLength(1);
    expect(client.requests[0]?.instructions).toBe(WRITER_INSTRUCTIONS);
    expect(client.requests[0]?.messages).toEqual([{ role: "user", text: draftPrompt(`${BRIEF}.`) }]);
    expect(
      result.events
        .filter((event) => event.type === "AgentRunUpdate")
        .map((event) => event.type === "AgentRunUpdate" && event.textDelta)
        .join(""),
    ).toBe(request.data.draft);
  });

  it("removes control characters and direction overrides from the brief and from the model's draft", async () => {
    const client = new ScriptedChatClient(() => "Now \u202Ekaep ta\u202C faster\u0085!");
    const workflow = createReleaseNotesWorkflow({ chatClient: client, storage: new InMemoryCheckpointStorage() });
    const result = await workflow.run("Ship \u2066it\u2069 today");
    expect(client.requests[0]?.messages[0]?.text).toBe(draftPrompt("Ship it today."));
    expect(onlyRequest(result).data.draft).toBe("Now kaep ta faster!");
  });

  it("approves the first draft and publishes it", async () => {
    const { workflow } = setup();
    const first = await workflow.run(BRIEF);
    const approved = await workflow.sendResponses({ [onlyRequest(first).requestId]: "  Approve " });
    expect(approved.status).toBe("IDLE");
    expect(approved.outputs).toEqual(["Draft 1: our new grinder is here. Pre-order today!"]);
    expect(approved.pendingRequests).toEqual([]);
  });

  it("lists checkpoints with SPEC §7 summaries, oldest first", async () => {
    const { workflow, storage } = setup();
    const first = await workflow.run(BRIEF);
    const headers = (await storage.list({ runId: first.runId })).reverse();
    expect(
      headers.map((header) => [header.superstep, header.kind, header.summary.targets, header.summary.status]),
    ).toEqual([
      [0, "initial", ["prepare_brief"], "awaiting next superstep"],
      [1, "superstep", ["writer"], "awaiting next superstep"],
      [2, "superstep", ["review_gateway"], "awaiting next superstep"],
      [3, "superstep", ["request_info"], "awaiting next superstep"],
      [4, "superstep", [], "awaiting human response"],
    ]);
    const paused = headers[4]!.summary;
    expect(paused.preview).toBe("Draft 1: our new grinder is here. Pre-order today!");
    expect(paused.executorsWithState).toEqual(["review_gateway", "writer"]);
    expect(paused.pendingRequests[0]?.requestId).toBe(onlyRequest(first).requestId);
    expect(paused.details).toEqual({ iteration: 1, publishedText: null, approval: null, rejection: null });
    expect(headers.map((header) => (header.summary.details as { iteration: number }).iteration)).toEqual([
      0, 0, 0, 1, 1,
    ]);
    const decoded = await workflow.loadCheckpoint(paused.checkpointId);
    expect(checkpointSummary(decoded, paused.preview, paused.details)).toEqual(paused);
    expect(pendingRequestsFromCheckpoint<HumanApprovalRequest>(decoded)[0]?.payload.iteration).toBe(1);
  });

  it("resumes the paused checkpoint in a new instance with a pre-supplied approve, without re-emitting the request", async () => {
    const storage = new InMemoryCheckpointStorage();
    const first = await setup(storage).workflow.run(BRIEF);
    const requestId = onlyRequest(first).requestId;
    const fresh = setup(storage);
    const resumed = await fresh.workflow.resume(first.lastCheckpointId!, {
      responses: { [requestId]: "approve" },
      respondedBy: "rita",
    });
    expect(resumed.events.some((event) => event.type === "RequestInfo")).toBe(false);
    expect(resumed.outputs).toEqual(["Draft 1: our new grinder is here. Pre-order today!"]);
    expect(resumed.status).toBe("IDLE");
    expect(fresh.client.requests).toHaveLength(0);
    const summaries = (await storage.list({ runId: first.runId })).map((header) => header.summary);
    expect(summaries[0]?.status).toBe("completed");
    expect(await storage.findResponses(requestId)).toMatchObject([
      { response: "approve", answeredBy: "rita", baseCheckpointId: first.lastCheckpointId },
    ]);
  });

  it("re-emits the pending request when resumed without responses", async () => {
    const storage = new InMemoryCheckpointStorage();
    const first = await setup(storage).workflow.run(BRIEF);
    const resumed = await setup(storage).workflow.resume(first.lastCheckpointId!);
    expect(resumed.status).toBe("IDLE_WITH_PENDING_REQUESTS");
    const reemitted = resumed.events.filter((event) => event.type === "RequestInfo");
    expect(reemitted).toHaveLength(1);
    expect(reemitted[0]).toMatchObject({ requestId: onlyRequest(first).requestId, data: { iteration: 1 } });
  });

  it("loops through three revision rounds, counting drafts 1, 2, 3, 4, then publishes the last", async () => {
    const { workflow, client } = setup();
    let result = await workflow.run(BRIEF);
    const guidance = ["Mention the price first.", "", "Shorter, please."];
    for (const [round, answer] of guidance.entries()) {
      const request = onlyRequest(result);
      expect(request.data.iteration).toBe(round + 1);
      result = await workflow.sendResponses({ [request.requestId]: answer });
      expect(result.status).toBe("IDLE_WITH_PENDING_REQUESTS");
      const sent = client.requests.at(-1)!.messages.at(-1)!;
      expect(sent).toEqual({ role: "user", text: revisionPrompt(request.data.draft, answer || DEFAULT_GUIDANCE) });
    }
    const last = onlyRequest(result);
    expect(last.data.iteration).toBe(4);
    const done = await workflow.sendResponses({ [last.requestId]: "APPROVE" });
    expect(done.outputs).toEqual([last.data.draft]);
    // the writer keeps its whole conversation (4 prompts, 4 replies) in its state, but each revision sends only
    // the brief's prompt and its own prompt, not every earlier draft
    const newest = await workflow.loadCheckpoint(done.lastCheckpointId!);
    expect((newest.executorStates.writer as { conversation: unknown[] }).conversation).toHaveLength(8);
    expect(client.requests.map((request) => request.messages.length)).toEqual([1, 2, 2, 2]);
    expect(client.requests.at(-1)!.messages[0]).toEqual({ role: "user", text: draftPrompt(`${BRIEF}.`) });
  });

  it("publishes a reviewer's edit at once when the edit completes the review", async () => {
    const { workflow, client } = setup();
    const request = onlyRequest(await workflow.run(BRIEF));
    const done = await workflow.sendResponses({
      [request.requestId]: { decision: "edit", text: "Our grinder, fixed by hand.\u202E", publish: true },
    });
    expect(done.outputs).toEqual(["Our grinder, fixed by hand."]);
    expect(client.requests).toHaveLength(1); // no writer round
    const details = describeCheckpoint(await workflow.loadCheckpoint(done.lastCheckpointId!)).details;
    expect(details).toMatchObject({
      iteration: 1,
      publishedText: "Our grinder, fixed by hand.",
      approval: { requestId: request.requestId },
      rejection: null,
    });
  });

  it("asks about an edited draft again, with the same draft number, when more approvals are needed", async () => {
    const { workflow, client } = setup();
    const request = onlyRequest(await workflow.run(BRIEF));
    const asked = await workflow.sendResponses({
      [request.requestId]: { decision: "edit", text: "Edited by Rita.", publish: false },
    });
    const again = onlyRequest(asked);
    expect(again.data).toEqual({
      prompt: REVIEW_PROMPT,
      draft: "Edited by Rita.",
      iteration: 1,
      editedFrom: request.requestId,
    });
    expect(client.requests).toHaveLength(1);
    const done = await workflow.sendResponses({ [again.requestId]: "approve" });
    expect(done.outputs).toEqual(["Edited by Rita."]);
  });

  it("ends without publishing when a reviewer rejects, and says why", async () => {
    const { workflow } = setup();
    const request = onlyRequest(await workflow.run(BRIEF));
    const ended = await workflow.sendResponses(
      { [request.requestId]: { decision: "reject", reason: "The product was cancelled." } },
      { respondedBy: "Rita" },
    );
    expect(ended).toMatchObject({ status: "IDLE", outputs: [], pendingRequests: [] });
    const checkpoint = await workflow.loadCheckpoint(ended.lastCheckpointId!);
    expect(checkpoint.status).toBe("completed");
    expect(describeCheckpoint(checkpoint).details).toMatchObject({
      publishedText: null,
      approval: null,
      rejection: { requestId: request.requestId, by: "Rita", reason: "The product was cancelled." },
    });
  });

  it("takes structured approve and revise decisions like the SPEC §9 text answers", async () => {
    const { workflow, client } = setup();
    const first = onlyRequest(await workflow.run(BRIEF));
    const revised = onlyRequest(
      await workflow.sendResponses({ [first.requestId]: { decision: "revise", guidance: "Mention the price." } }),
    );
    expect(client.requests.at(-1)!.messages.at(-1)!.text).toBe(revisionPrompt(first.data.draft, "Mention the price."));
    const done = await workflow.sendResponses({ [revised.requestId]: { decision: "approve" } });
    expect(done.outputs).toEqual([revised.data.draft]);
  });

  it("refuses an empty edit or a rejection without a reason before anything is recorded", async () => {
    const { workflow } = setup();
    const request = onlyRequest(await workflow.run(BRIEF));
    await expect(
      workflow.sendResponses({ [request.requestId]: { decision: "edit", text: "  ", publish: true } }),
    ).rejects.toMatchObject({ code: "RESPONSE_INVALID" });
    await expect(
      workflow.sendResponses({ [request.requestId]: { decision: "reject", reason: "" } }),
    ).rejects.toMatchObject({ code: "RESPONSE_INVALID" });
    // still pending: a valid answer is taken
    const done = await workflow.sendResponses({ [request.requestId]: "approve" });
    expect(done.outputs).toEqual([request.data.draft]);
  });

  it("branches when resuming an older checkpoint, leaving the first line of history intact", async () => {
    const storage = new InMemoryCheckpointStorage();
    const { workflow } = setup(storage);
    const first = await workflow.run(BRIEF);
    const firstPause = first.lastCheckpointId!;
    const request = onlyRequest(first);
    await workflow.sendResponses({ [request.requestId]: "Add an emoji." });
    const branch = await setup(storage).workflow.resume(firstPause, {
      responses: { [request.requestId]: "approve" },
      branch: true,
    });
    expect(branch.outputs).toEqual([request.data.draft]);
    const headers = await storage.list({ runId: first.runId });
    const children = headers.filter((header) => header.parentId === firstPause);
    expect(children).toHaveLength(2);
    expect(children.every((child) => child.kind === "responses")).toBe(true);
  });

  it("refuses a second answer from the same checkpoint unless it deliberately branches", async () => {
    const storage = new InMemoryCheckpointStorage();
    const first = await setup(storage).workflow.run(BRIEF);
    const requestId = onlyRequest(first).requestId;
    await setup(storage).workflow.resume(first.lastCheckpointId!, {
      responses: { [requestId]: "approve" },
      respondedBy: "ana",
    });
    await expect(
      setup(storage).workflow.resume(first.lastCheckpointId!, {
        responses: { [requestId]: "Make it longer" },
        respondedBy: "ben",
      }),
    ).rejects.toMatchObject({
      code: "REQUEST_ALREADY_ANSWERED",
      details: { answeredBy: "ana" },
    });
  });

  it("reports a completed checkpoint as complete and changes nothing", async () => {
    const storage = new InMemoryCheckpointStorage();
    const { workflow } = setup(storage);
    const first = await workflow.run(BRIEF);
    const done = await workflow.sendResponses({ [onlyRequest(first).requestId]: "approve" });
    const before = await storage.list({ runId: first.runId });
    const again = await setup(storage).workflow.resume(done.lastCheckpointId!);
    expect(again.alreadyCompleted).toBe(true);
    expect(again.outputs).toEqual(done.outputs);
    expect(await storage.list({ runId: first.runId })).toEqual(before);
  });
});
