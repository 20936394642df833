import type { WorkflowContext } from "./context";
import type { MessageType } from "./messages";

/** Handles one message type for one executor. Runs one message at a time per executor. */
export type Handler<T> = (value: T, ctx: WorkflowContext) => Promise<void> | void;

interface RegisteredHandler {
  type: MessageType;
  handle: Handler<unknown>;
}

/**
 * A node of the graph: a unique id and one handler per accepted message type.
 *
 * @example
 * const finalise = new Executor("finalise").on(StringMessage, (text, ctx) => ctx.yieldOutput(text));
 */
export class Executor {
  readonly id: string;
  /** Message types this executor may send; when declared, `build()` checks every outgoing edge against them. */
  readonly sends: readonly MessageType[] | undefined;
  private readonly handlers = new Map<string, RegisteredHandler>();
  private readonly duplicates: string[] = [];

  constructor(id: string, options: { sends?: readonly MessageType[] } = {}) {
    this.id = id;
    this.sends = options.sends;
  }

  /** Registers the handler for `type`. A second handler for the same type is reported by `build()` as GRAPH_INVALID. */
  on<T>(type: MessageType<T>, handle: Handler<T>): this {
    if (this.handlers.has(type.name)) this.duplicates.push(type.name);
    else this.handlers.set(type.name, { type: type as MessageType, handle: handle as Handler<unknown> });
    return this;
  }

  /** The declared types this executor accepts. */
  get acceptedTypes(): MessageType[] {
    return [...this.handlers.values()].map((handler) => handler.type);
  }

  /** Type names registered more than once (a build error). */
  get duplicateHandlerTypes(): readonly string[] {
    return this.duplicates;
  }

  handles(typeName: string): boolean {
    return this.handlers.has(typeName);
  }

  /** @internal Used by the runner. */
  handlerFor(typeName: string): RegisteredHandler | undefined {
    return this.handlers.get(typeName);
  }
}
