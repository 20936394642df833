/**
 * Tokens the writer sends per model call as a run goes through revision rounds: what release 1 sent (the whole
 * conversation: every earlier prompt and draft) next to what the writer sends now (the brief's prompt and the
 * current request's prompt, lib/release-notes/workflow.ts `briefAndNewTurns`). Counted with gpt-tokenizer's
 * o200k_base chat encoding (the GPT-4o family), so the figures are what a provider would bill as input tokens.
 */
import { encodeChat } from "gpt-tokenizer/model/gpt-4o";
import type { ChatClient, ChatMessage, ChatRequest } from "@/lib/workflow";
import { createReleaseNotesWorkflow, OfflineWriter } from "@/lib/release-notes";
import { InMemoryCheckpointStorage } from "@/lib/workflow/testing";
import type { BenchRow } from "./lib/result";
import { sum } from "./lib/stats";
import { BRIEF, guidanceFor } from "./lib/workload";

/** Keeps what each call sent. */
class RecordingClient implements ChatClient {
  readonly calls: Array<{ instructions: string | undefined; messages: ChatMessage[] }> = [];
  constructor(private readonly inner: ChatClient) {}
  get info() {
    return this.inner.info;
  }
  streamChat(request: ChatRequest): AsyncIterable<string> {
    this.calls.push({ instructions: request.instructions, messages: [...request.messages] });
    return this.inner.streamChat(request);
  }
}

function countTokens(instructions: string | undefined, messages: readonly ChatMessage[]): number {
  const chat = [
    ...(instructions ? [{ role: "system" as const, content: instructions }] : []),
    ...messages.map((m) => ({ role: m.role, content: m.text })),
  ];
  return encodeChat(chat).length;
}

export interface ContextWindowRound {
  /** 0 is the first draft; N is the call after the N-th revision guidance. */
  round: number;
  before: number;
  after: number;
  /** The instructions and the round's own prompt alone: what any writer must send. */
  floor: number;
}

/** Takes one run through `rounds` revisions on the offline writer and counts every call's input tokens. */
export async function measureContextWindow(rounds: number): Promise<ContextWindowRound[]> {
  const client = new RecordingClient(new OfflineWriter({ delayMs: 0 }));
  const workflow = createReleaseNotesWorkflow({ chatClient: client, storage: new InMemoryCheckpointStorage() });
  let result = await workflow.run(BRIEF);
  for (let round = 1; round <= rounds; round++) {
    const request = result.pendingRequests[0];
    if (!request) throw new Error(`round ${round}: no pending review request`);
    result = await workflow.sendResponses({ [request.requestId]: guidanceFor(round) });
  }
  const newest = await workflow.loadCheckpoint(result.lastCheckpointId!);
  const conversation = (newest.executorStates.writer as unknown as { conversation: ChatMessage[] }).conversation;
  return client.calls.map((call, round) => ({
    round,
    // release 1's AgentExecutor sent the whole conversation: every turn up to and including this round's prompt
    before: countTokens(call.instructions, conversation.slice(0, 2 * round + 1)),
    after: countTokens(call.instructions, call.messages),
    floor: countTokens(call.instructions, call.messages.slice(-1)),
  }));
}

const REPORTED_ROUNDS = [1, 10, 30] as const;

export async function benchContextWindow(options: {
  log: (line: string) => void;
}): Promise<{ rows: BenchRow[]; rounds: ContextWindowRound[] }> {
  const rounds = await measureContextWindow(Math.max(...REPORTED_ROUNDS));
  const rows: BenchRow[] = REPORTED_ROUNDS.map((n) => {
    const { before, after, floor } = rounds[n]!;
    options.log(`  round ${n}: ${after} tokens sent (release 1: ${before}; prompt alone: ${floor})`);
    return {
      id: `writer-tokens-round-${n}`,
      measure: `writer input tokens, revision round ${n}`,
      reference: `release 1 sent ${before.toLocaleString("en-US")} (whole conversation)`,
      target: "flat in the number of rounds",
      measured: after.toLocaleString("en-US"),
      floor: floor.toLocaleString("en-US"),
      ratio: after / floor,
      met: after <= rounds[1]!.after * 1.5,
      details: { before, after, floor },
    };
  });
  const run = rounds.slice(0, Math.max(...REPORTED_ROUNDS) + 1);
  const total = {
    before: sum(run.map((r) => r.before)),
    after: sum(run.map((r) => r.after)),
    floor: sum(run.map((r) => r.floor)),
  };
  options.log(`  a 30-round run: ${total.after} tokens in all (release 1: ${total.before})`);
  rows.push({
    id: "writer-tokens-run-30",
    measure: "writer input tokens, whole 30-round run (31 calls)",
    reference: `release 1 sent ${total.before.toLocaleString("en-US")}`,
    target: "linear in the number of rounds",
    measured: total.after.toLocaleString("en-US"),
    floor: total.floor.toLocaleString("en-US"),
    ratio: total.after / total.floor,
    met: total.after <= 31 * rounds[1]!.after * 1.5,
    details: total,
  });
  return { rows, rounds };
}
