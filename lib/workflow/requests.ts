import { z } from "zod";
import { Executor } from "./executor";
import type { JsonValue } from "./json";
import { defineMessageType, type MessageType } from "./messages";

/** What the executors after a request node receive when a request is answered. */
export interface RequestResponse<TRequest, TResponse> {
  requestId: string;
  data: TResponse;
  originalRequest: TRequest;
}

/** The message type of answers to `requestType`, named `RequestResponse<requestType>`. */
export function requestResponseOf<TRequest, TResponse>(
  requestType: MessageType<TRequest>,
  responseSchema: z.ZodType<TResponse>,
): MessageType<RequestResponse<TRequest, TResponse>> {
  return defineMessageType(
    `RequestResponse<${requestType.name}>`,
    z.object({
      requestId: z.string(),
      data: responseSchema,
      originalRequest: requestType.schema,
    }) as unknown as z.ZodType<RequestResponse<TRequest, TResponse>>,
  );
}

/** One kind of request a request node accepts, and the shape of its answer. */
export interface RequestKind<TRequest = unknown, TResponse = unknown> {
  request: MessageType<TRequest>;
  response: z.ZodType<TResponse>;
}

/**
 * The human-in-the-loop node. Any message of a declared request type sent to it becomes a pending request
 * with a new id and a `RequestInfo` event; the run pauses once nothing else is queued. Answers
 * (`sendResponses`, or `resume` with responses) are delivered along its outgoing edges as
 * `RequestResponse<Type>` messages.
 *
 * @example
 * const requestInfo = new RequestInfoExecutor("request_info", [{ request: HumanApprovalRequest, response: z.string() }]);
 * gateway.on(requestResponseOf(HumanApprovalRequest, z.string()), (answer, ctx) => { ... });
 */
export class RequestInfoExecutor extends Executor {
  private readonly kinds = new Map<string, { responseSchema: z.ZodType; responseType: MessageType }>();

  constructor(id: string, kinds: ReadonlyArray<RequestKind>) {
    const responseTypes = kinds.map((kind) => requestResponseOf(kind.request, kind.response));
    super(id, { sends: responseTypes });
    kinds.forEach((kind, i) => {
      this.kinds.set(kind.request.name, {
        responseSchema: kind.response,
        responseType: responseTypes[i] as MessageType,
      });
      this.on(kind.request, (payload, ctx) => {
        ctx.requestInfo(kind.request, payload as JsonValue);
      });
    });
  }

  /** @internal The answer type and schema for a pending request of `requestTypeName`. */
  responseFor(requestTypeName: string): { responseSchema: z.ZodType; responseType: MessageType } | undefined {
    return this.kinds.get(requestTypeName);
  }
}
