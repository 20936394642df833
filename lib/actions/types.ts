/** What every server action returns: expected failures are values, never thrown at the client. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export interface ActionError {
  code: string;
  message: string;
  /** Messages per form field name, shown beside the field. */
  fieldErrors?: Record<string, string[]>;
  /** Ids and facts about the failure, e.g. `answeredBy`/`answeredAt` for REQUEST_ALREADY_ANSWERED. */
  details?: Record<string, unknown>;
}

/** `useActionState` starts from null: nothing submitted yet. */
export type ActionState<T> = ActionResult<T> | null;

/** The form field that carries a pre-supplied answer to a checkpoint's pending request (resume form). */
export function resumeResponseField(requestId: string): string {
  return `response:${requestId}`;
}
