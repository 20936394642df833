import type { MessageType } from "./messages";
import type { JsonValue } from "./json";

/** A named predicate on an edge; the name (not the code) is part of the graph signature. */
export interface EdgeCondition {
  name: string;
  when: (message: { type: string; value: JsonValue }) => boolean;
}

/** A directed edge. Several edges from one source fan out; edges may form cycles. */
export interface DirectEdge {
  kind: "direct";
  source: string;
  target: string;
  condition?: EdgeCondition;
}

/**
 * Delivers `listOf(elementType)` to `target` once every source has sent at least one `elementType`
 * message; what arrived until then waits in a buffer that checkpoints keep.
 */
export interface FanInEdge {
  kind: "fan-in";
  /** Stable id of the group, used as the buffer key in checkpoints. */
  id: string;
  sources: readonly string[];
  target: string;
  elementType: MessageType;
}

export type Edge = DirectEdge | FanInEdge;
