import { z } from "zod";
import { WorkflowError } from "./errors";
import type { JsonValue } from "./json";

/**
 * A message type, declared once: a stable name (stored in checkpoints) and a zod schema (used to validate
 * values when they are sent and when a checkpoint is restored).
 */
export interface MessageType<T = unknown> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** Wraps a value into a typed message for `ctx.sendMessage`. */
  of(value: T): TypedMessage<T>;
}

/** A value tagged with its declared type; what handlers send. */
export interface TypedMessage<T = unknown> {
  readonly type: MessageType<T>;
  readonly value: T;
}

/** A message as it travels and rests in a checkpoint: the type's name and a JSON value. */
export interface QueuedMessage {
  sourceId: string;
  targetId: string;
  type: string;
  value: JsonValue;
}

/**
 * Declares a message type.
 *
 * @example
 * const HumanApprovalRequest = defineMessageType("HumanApprovalRequest",
 *   z.object({ prompt: z.string(), draft: z.string(), iteration: z.number().int() }));
 * ctx.sendMessage(HumanApprovalRequest.of({ prompt, draft, iteration }));
 */
export function defineMessageType<T>(name: string, schema: z.ZodType<T>): MessageType<T> {
  if (!/^[A-Za-z_][\w.<>[\], -]*$/.test(name)) {
    throw new WorkflowError("GRAPH_INVALID", `Message type name "${name}" is not a valid identifier`);
  }
  const type: MessageType<T> = { name, schema, of: (value) => ({ type, value }) };
  return type;
}

/** Built-in type of bare strings: `ctx.sendMessage("text")` sends one; `.on(StringMessage, ...)` handles it. */
export const StringMessage = defineMessageType("string", z.string());
/** Built-in type of bare numbers. */
export const NumberMessage = defineMessageType("number", z.number());
/** Built-in type of bare booleans. */
export const BooleanMessage = defineMessageType("boolean", z.boolean());
export const builtInMessageTypes: readonly MessageType[] = [StringMessage, NumberMessage, BooleanMessage];

/** The list type a fan-in edge delivers: every buffered message of `element`, in source order. */
export function listOf<T>(element: MessageType<T>): MessageType<T[]> {
  return defineMessageType(`${element.name}[]`, z.array(element.schema));
}

/** What `ctx.sendMessage` accepts: a typed message, or a bare string / number / boolean. */
export type SendableMessage = TypedMessage | string | number | boolean;

/** Turns a bare primitive into its built-in typed message. */
export function toTypedMessage(message: SendableMessage): TypedMessage {
  if (typeof message === "string") return StringMessage.of(message);
  if (typeof message === "number") return NumberMessage.of(message);
  if (typeof message === "boolean") return BooleanMessage.of(message);
  return message;
}

/** Every message type the workflow knows, by name; restores look names up here and never evaluate them. */
export class MessageTypeRegistry {
  private readonly types = new Map<string, MessageType>();

  constructor(types: Iterable<MessageType> = []) {
    for (const type of builtInMessageTypes) this.add(type);
    for (const type of types) this.add(type);
  }

  add(type: MessageType): void {
    const existing = this.types.get(type.name);
    if (existing && existing !== type && existing.schema !== type.schema) {
      // listOf() and requestResponseOf() build equal types more than once; same name must mean same shape
      if (
        JSON.stringify(z.toJSONSchema(existing.schema, { unrepresentable: "any" })) !==
        JSON.stringify(z.toJSONSchema(type.schema, { unrepresentable: "any" }))
      ) {
        throw new WorkflowError("GRAPH_INVALID", `Two different message types are both named "${type.name}"`);
      }
      return;
    }
    this.types.set(type.name, type);
  }

  get(name: string): MessageType | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }
}
