import type { ChatClient, ChatMessage, ChatRequest } from "../chat-client";

/**
 * A deterministic chat client for engine tests: replies with `reply(conversation)` (by default a numbered
 * draft), streamed in two deltas, and records every request it received.
 */
export class ScriptedChatClient implements ChatClient {
  readonly info = { provider: "scripted", model: "scripted", label: "Scripted test writer", isModel: false };
  readonly requests: ChatRequest[] = [];
  private readonly reply: (messages: readonly ChatMessage[], call: number) => string | Error;

  constructor(reply?: (messages: readonly ChatMessage[], call: number) => string | Error) {
    this.reply = reply ?? ((_messages, call) => `Draft ${call}: our new grinder is here. Pre-order today!`);
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    this.requests.push({ ...request, messages: [...request.messages] });
    const text = this.reply(request.messages, this.requests.length);
    if (text instanceof Error) throw text;
    const middle = Math.ceil(text.length / 2);
    yield text.slice(0, middle);
    yield text.slice(middle);
  }
}
