import { ChatClientError, type ChatClient, type ChatRequest } from "@/lib/workflow";

/**
 * A chat client whose calls wait at a gate until the test opens it with a reply or a failure: how tests hold a
 * model call in flight (a stalled process) while something else happens. `entered` resolves when a call arrives.
 */
export class GatedChatClient implements ChatClient {
  readonly info = { provider: "gated", model: "gated", label: "Gated test writer", isModel: false };
  calls = 0;
  private open: ((outcome: { text: string } | { error: Error }) => void) | undefined;
  private readonly arrived: Promise<void>;
  private markArrived!: () => void;

  constructor() {
    this.arrived = new Promise((resolve) => (this.markArrived = resolve));
  }

  /** Resolves once a call is waiting at the gate. */
  entered(): Promise<void> {
    return this.arrived;
  }

  reply(text: string): void {
    this.open?.({ text });
  }

  fail(
    error: Error = new ChatClientError("HTTP 400: the model refused the request", { transient: false, status: 400 }),
  ): void {
    this.open?.({ error });
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    this.calls += 1;
    const outcome = await new Promise<{ text: string } | { error: Error }>((resolve) => {
      this.open = resolve;
      this.markArrived();
    });
    request.signal?.throwIfAborted();
    if ("error" in outcome) throw outcome.error;
    yield outcome.text;
  }
}
