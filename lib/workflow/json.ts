import { WorkflowError } from "./errors";

/** A JSON value as the engine stores it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Throws STATE_INVALID unless `value` is plain JSON: no functions, class instances, cycles, `undefined`
 * inside arrays, NaN or Infinity. `where` names the executor and key for the message.
 */
export function assertJsonValue(value: unknown, where: string): asserts value is JsonValue {
  const problem = findJsonProblem(value, "$", new Set());
  if (problem) throw new WorkflowError("STATE_INVALID", `${where} is not JSON-serializable: ${problem}`);
}

function findJsonProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (value === undefined) return `${path} is undefined`;
  if (typeof value !== "object") return `${path} is a ${typeof value}`;
  if (seen.has(value)) return `${path} is a cycle`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = findJsonProblem(value[i], `${path}[${i}]`, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is an instance of ${(value.constructor as { name?: string } | undefined)?.name ?? "a class"}`;
    }
    for (const [key, child] of Object.entries(value)) {
      // undefined object members are dropped by JSON, as everywhere else; only array holes are lossy
      if (child === undefined) continue;
      const problem = findJsonProblem(child, `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/** A deep copy that is guaranteed JSON; used so staged state can't be mutated behind the engine's back. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}
