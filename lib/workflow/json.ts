import { WorkflowError } from "./errors";

/** A JSON value as the engine stores it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Values already checked and frozen; checking them again is skipped, so re-writing a long conversation is cheap. */
const frozenJson = new WeakSet<object>();

/**
 * Checks that `value` is plain JSON (no functions, class instances, cycles, `undefined` inside arrays,
 * NaN or Infinity) and deep-freezes it. State and messages are immutable snapshots: the engine shares
 * them between checkpoints instead of copying. Throws STATE_INVALID naming `where` and the path.
 */
export function freezeJson<T>(value: T, where: string): T {
  const problem = checkAndFreeze(value, "$", new Set());
  if (problem) throw new WorkflowError("STATE_INVALID", `${where} is not JSON-serializable: ${problem}`);
  return value;
}

function checkAndFreeze(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (value === undefined) return `${path} is undefined`;
  if (typeof value !== "object") return `${path} is a ${typeof value}`;
  if (frozenJson.has(value)) return undefined;
  if (ancestors.has(value)) return `${path} is a cycle`;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = checkAndFreeze(value[i], `${path}[${i}]`, ancestors);
        if (problem) return problem;
      }
    } else {
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "a class";
        return `${path} is an instance of ${name}`;
      }
      for (const [key, child] of Object.entries(value)) {
        if (child === undefined) return `${path}.${key} is undefined`;
        const problem = checkAndFreeze(child, `${path}.${key}`, ancestors);
        if (problem) return problem;
      }
    }
    Object.freeze(value);
    frozenJson.add(value);
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * `target[key] = value`, except that a key named `__proto__` becomes an own property (as JSON.parse makes it)
 * instead of replacing the prototype, so objects that pass through the engine keep every key they had.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
