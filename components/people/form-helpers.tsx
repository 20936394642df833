"use client";

import { startTransition, useEffect, type FormEvent, type RefObject } from "react";
import { cn } from "@/components/ui/cn";
import type { ActionError, ActionState } from "@/lib/actions/types";

/** A form's live status line: what is happening, what worked, or what went wrong (read out by screen readers). */
export function FormStatus({ message, isError, className }: { message: string; isError: boolean; className?: string }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={cn("text-sm", isError ? "font-medium text-rose-700" : "text-slate-700", className)}
    >
      {message}
    </p>
  );
}

/** The status line for a failure: points at the fields marked above it, else the server's message. */
export function describeFailure(error: ActionError, fields: readonly string[]): string {
  const marked = fields.filter((field) => (error.fieldErrors?.[field]?.length ?? 0) > 0).length;
  if (marked === 0) return error.message;
  return marked === 1
    ? "Fix the field marked above, then send again."
    : `Fix the ${marked} fields marked above, then send again.`;
}

/** The messages of one field, when the last answer marked it. */
export function fieldErrorsOf<T>(state: ActionState<T>, field: string): string[] | undefined {
  return state && !state.ok ? state.error.fieldErrors?.[field] : undefined;
}

/** After an answer that marked fields, moves focus to the first of them, so keyboard users land where to fix it. */
export function useFocusFirstInvalid<T>(formRef: RefObject<HTMLFormElement | null>, state: ActionState<T>): void {
  useEffect(() => {
    if (!state || state.ok || !state.error.fieldErrors) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formRef, state]);
}

/**
 * An onSubmit for `<form action={formAction}>` that runs the same action without React's automatic form reset.
 * The reset puts checkboxes, radios and selects back to their first-rendered state even when they are
 * controlled (React keeps only text fields' defaults in step), so the form would show, and later send, choices
 * other than the ones in state. The `action` prop stays for submits before hydration.
 */
export function submitWithoutReset(formAction: (formData: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(formData));
  };
}
