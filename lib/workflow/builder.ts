import { createHash } from "node:crypto";
import type { CheckpointStorage } from "./checkpoint";
import type { DirectEdge, Edge, EdgeCondition, FanInEdge } from "./edges";
import { WorkflowError } from "./errors";
import type { Executor } from "./executor";
import { listOf, MessageTypeRegistry, type MessageType } from "./messages";
import { Workflow, type CheckpointDescriber, type WorkflowDefinition } from "./workflow";

type ExecutorRef = Executor | string;

/**
 * Assembles and validates a workflow graph.
 *
 * @example
 * const workflow = new WorkflowBuilder({ name: "release-notes", maxIterations: 6 })
 *   .setStartExecutor(prepare)
 *   .addEdge(prepare, writer)
 *   .withCheckpointing(storage)
 *   .build();
 * @throws WorkflowError GRAPH_INVALID from `build()`, naming what is wrong.
 */
export class WorkflowBuilder {
  private readonly name: string;
  private maxIterations: number;
  private readonly executors = new Map<string, Executor>();
  private readonly problems: string[] = [];
  private readonly edges: Edge[] = [];
  private start: ExecutorRef | undefined;
  private storage: CheckpointStorage | undefined;
  private describe: CheckpointDescriber | undefined;

  constructor(options: { name: string; maxIterations?: number }) {
    this.name = options.name;
    this.maxIterations = options.maxIterations ?? 100;
  }

  /** Adds an executor that no edge mentions yet (edges add their endpoints themselves). */
  addExecutor(executor: Executor): this {
    const existing = this.executors.get(executor.id);
    if (existing && existing !== executor) this.problems.push(`two executors share the id "${executor.id}"`);
    else this.executors.set(executor.id, executor);
    return this;
  }

  setStartExecutor(executor: ExecutorRef): this {
    if (typeof executor !== "string") this.addExecutor(executor);
    this.start = executor;
    return this;
  }

  /** A directed edge; `condition` must hold for a message to take it. Cycles are allowed. */
  addEdge(source: ExecutorRef, target: ExecutorRef, options: { condition?: EdgeCondition } = {}): this {
    const edge: DirectEdge = { kind: "direct", source: this.ref(source), target: this.ref(target) };
    if (options.condition) edge.condition = options.condition;
    this.edges.push(edge);
    return this;
  }

  /** One edge from `source` to each of `targets`. */
  addFanOutEdges(source: ExecutorRef, targets: readonly ExecutorRef[]): this {
    for (const target of targets) this.addEdge(source, target);
    return this;
  }

  /** Delivers `listOf(elementType)` to `target` once each of `sources` has sent an `elementType` message. */
  addFanInEdge(sources: readonly ExecutorRef[], target: ExecutorRef, elementType: MessageType, id?: string): this {
    const sourceIds = sources.map((source) => this.ref(source));
    const targetId = this.ref(target);
    const edge: FanInEdge = {
      kind: "fan-in",
      id: id ?? `fan-in:${sourceIds.join("+")}->${targetId}`,
      sources: sourceIds,
      target: targetId,
      elementType,
    };
    this.edges.push(edge);
    return this;
  }

  /** Bounds the supersteps of each call (start, send responses, resume). Not part of the graph signature. */
  withMaxIterations(maxIterations: number): this {
    this.maxIterations = maxIterations;
    return this;
  }

  withCheckpointing(storage: CheckpointStorage): this {
    this.storage = storage;
    return this;
  }

  /**
   * What this workflow adds to each checkpoint's summary: a short `preview` people read in timelines (e.g. the
   * draft under review) and structured `details` programs read without decoding the body.
   */
  withCheckpointDescription(describe: CheckpointDescriber): this {
    this.describe = describe;
    return this;
  }

  /** Validates the graph and returns a runnable workflow. @throws WorkflowError GRAPH_INVALID */
  build(): Workflow {
    const problems = [...this.problems];
    const has = (id: string) => this.executors.has(id);
    const startId = this.start === undefined ? undefined : this.ref(this.start);
    if (startId === undefined) problems.push("no start executor is set");
    else if (!has(startId)) problems.push(`start executor "${startId}" is not in the graph`);
    if (!Number.isInteger(this.maxIterations) || this.maxIterations < 1)
      problems.push(`maxIterations must be a positive integer, got ${this.maxIterations}`);

    for (const executor of this.executors.values()) {
      for (const type of executor.duplicateHandlerTypes)
        problems.push(`executor "${executor.id}" has two handlers for "${type}"`);
    }
    const fanInIds = new Set<string>();
    for (const edge of this.edges) {
      const endpoints = edge.kind === "direct" ? [edge.source, edge.target] : [...edge.sources, edge.target];
      for (const id of endpoints)
        if (!has(id)) problems.push(`edge ${describeEdge(edge)} refers to unknown executor "${id}"`);
      if (edge.kind === "fan-in") {
        if (fanInIds.has(edge.id)) problems.push(`two fan-in edges share the id "${edge.id}"`);
        fanInIds.add(edge.id);
        if (edge.sources.length < 2) problems.push(`fan-in edge ${edge.id} needs at least two sources`);
        const target = this.executors.get(edge.target);
        if (target && !target.handles(listOf(edge.elementType).name)) {
          problems.push(
            `fan-in edge ${edge.id}: "${edge.target}" has no handler for "${listOf(edge.elementType).name}"`,
          );
        }
      } else {
        const source = this.executors.get(edge.source);
        const target = this.executors.get(edge.target);
        if (source?.sends && target && !source.sends.some((type) => target.handles(type.name))) {
          problems.push(
            `edge ${describeEdge(edge)}: "${target.id}" handles none of ${source.sends.map((t) => `"${t.name}"`).join(", ")} that "${source.id}" sends`,
          );
        }
      }
    }
    if (startId !== undefined && has(startId)) {
      const reached = reachableFrom(startId, this.edges);
      const unreachable = [...this.executors.keys()].filter((id) => !reached.has(id));
      if (unreachable.length > 0) problems.push(`unreachable from "${startId}": ${unreachable.join(", ")}`);
    }
    if (problems.length > 0) {
      throw new WorkflowError("GRAPH_INVALID", `Workflow "${this.name}" is invalid: ${problems.join("; ")}`, {
        problems,
      });
    }

    const registry = new MessageTypeRegistry();
    for (const executor of this.executors.values()) {
      for (const type of executor.acceptedTypes) registry.add(type);
      for (const type of executor.sends ?? []) registry.add(type);
    }
    for (const edge of this.edges) if (edge.kind === "fan-in") registry.add(listOf(edge.elementType));

    const definition: WorkflowDefinition = {
      name: this.name,
      startExecutorId: startId as string,
      executors: new Map(this.executors),
      edges: [...this.edges],
      registry,
      maxIterations: this.maxIterations,
      storage: this.storage,
      describe: this.describe,
      graphSignature: graphSignature(startId as string, [...this.executors.values()], this.edges),
    };
    return new Workflow(definition);
  }

  private ref(executor: ExecutorRef): string {
    if (typeof executor === "string") return executor;
    this.addExecutor(executor);
    return executor.id;
  }
}

function describeEdge(edge: Edge): string {
  return edge.kind === "direct" ? `${edge.source} -> ${edge.target}` : `${edge.sources.join("+")} => ${edge.target}`;
}

function reachableFrom(startId: string, edges: readonly Edge[]): Set<string> {
  const reached = new Set([startId]);
  const frontier = [startId];
  while (frontier.length > 0) {
    const id = frontier.pop() as string;
    for (const edge of edges) {
      const fromHere = edge.kind === "direct" ? edge.source === id : edge.sources.includes(id);
      if (fromHere && !reached.has(edge.target)) {
        reached.add(edge.target);
        frontier.push(edge.target);
      }
    }
  }
  return reached;
}

/** A hash of executor ids, accepted types, edges and condition names; not of maxIterations (SPEC §1). */
function graphSignature(startId: string, executors: readonly Executor[], edges: readonly Edge[]): string {
  const shape = {
    start: startId,
    executors: executors
      .map((executor) => ({ id: executor.id, accepts: executor.acceptedTypes.map((type) => type.name).sort() }))
      // by code unit, not localeCompare: the signature must not depend on the process's locale
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    edges: edges
      .map((edge) =>
        edge.kind === "direct"
          ? `direct:${edge.source}->${edge.target}${edge.condition ? `?${edge.condition.name}` : ""}`
          : `fan-in:${edge.id}:${edge.sources.join("+")}->${edge.target}:${edge.elementType.name}`,
      )
      .sort(),
  };
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 32);
}
