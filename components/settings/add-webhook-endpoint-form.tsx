"use client";

import { useActionState, useId, useRef, useState } from "react";
import { CopyField } from "@/components/people/copy-field";
import {
  describeFailure,
  fieldErrorsOf,
  FormStatus,
  submitWithoutReset,
  useFocusFirstInvalid,
} from "@/components/people/form-helpers";
import { TextField } from "@/components/people/text-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { CreatedWebhookEndpoint } from "@/lib/queries";

export type AddWebhookEndpointAction = (
  previous: ActionState<CreatedWebhookEndpoint>,
  formData: FormData,
) => Promise<ActionResult<CreatedWebhookEndpoint>>;

export interface AddWebhookEndpointFormProps {
  /** The event kinds to offer (all chosen to start with). */
  eventKinds: readonly string[];
  action: AddWebhookEndpointAction;
  /** Called after an endpoint was added (to refresh the list). */
  onAdded: () => void;
}

const FIELDS = ["url", "description", "kinds"] as const;
const checkboxClasses =
  "mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";

/** Adds a webhook endpoint: its URL, what it is for and the events it receives; its signing secret is shown once, here. */
export function AddWebhookEndpointForm({ eventKinds, action, onAdded }: AddWebhookEndpointFormProps) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [kinds, setKinds] = useState<string[]>(() => [...eventKinds]);
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<CreatedWebhookEndpoint>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setUrl("");
        setDescription("");
        setKinds([...eventKinds]);
        onAdded();
      }
      return result;
    },
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const id = useId();
  const kindErrors = fieldErrorsOf(state, "kinds");
  const created = state?.ok ? state.data : null;
  const status = isPending
    ? "Adding the endpoint…"
    : created
      ? `Endpoint ${created.url} added. Copy its signing secret now: it is shown once.`
      : state && !state.ok
        ? `Not added. ${describeFailure(state.error, FIELDS)}`
        : "";
  const toggleKind = (kind: string, isChecked: boolean) =>
    setKinds((current) =>
      isChecked
        ? eventKinds.filter((candidate) => candidate === kind || current.includes(candidate))
        : current.filter((candidate) => candidate !== kind),
    );

  return (
    <div className="space-y-4">
      <form
        ref={formRef}
        action={formAction}
        onSubmit={submitWithoutReset(formAction)}
        className="space-y-4"
        noValidate
      >
        <h3 className="text-sm font-semibold text-slate-900">Add an endpoint</h3>
        <TextField
          label="Endpoint URL"
          name="url"
          autoComplete="off"
          value={url}
          onChange={setUrl}
          hint="An https:// address that answers 2xx (plain http:// only to this machine, e.g. http://127.0.0.1:8080)."
          errors={fieldErrorsOf(state, "url")}
          required
          className="max-w-xl"
        />
        <TextField
          label="Description"
          name="description"
          autoComplete="off"
          value={description}
          onChange={setDescription}
          hint="What receives it, like “Release bot”. Optional."
          errors={fieldErrorsOf(state, "description")}
          className="max-w-xl"
        />
        <fieldset className="space-y-2" aria-describedby={cn(`${id}-kinds-hint`, kindErrors && `${id}-kinds-error`)}>
          <legend className="text-sm font-medium text-slate-900">Events</legend>
          <FieldHint id={`${id}-kinds-hint`}>The event types this endpoint receives (the body’s “type”).</FieldHint>
          <ul className="sm:columns-2 sm:gap-x-6">
            {eventKinds.map((kind) => {
              const checkboxId = `${id}-${kind}`;
              return (
                <li key={kind} className="mb-2 flex break-inside-avoid gap-3 text-sm">
                  <input
                    id={checkboxId}
                    type="checkbox"
                    name="kinds"
                    value={kind}
                    checked={kinds.includes(kind)}
                    onChange={(event) => toggleKind(kind, event.target.checked)}
                    className={checkboxClasses}
                  />
                  <label
                    htmlFor={checkboxId}
                    className="min-w-0 font-mono text-xs leading-5 wrap-anywhere text-slate-900"
                  >
                    {kind}
                  </label>
                </li>
              );
            })}
          </ul>
          <FieldError id={`${id}-kinds-error`} messages={kindErrors} />
        </fieldset>
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button type="submit" variant="primary" disabled={isPending}>
            {isPending ? "Adding…" : "Add endpoint"}
          </Button>
          <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
        </div>
      </form>

      {created ? (
        <Alert tone="success" title={`Signing secret of ${created.description || created.url}`}>
          <div className="space-y-3">
            <p>
              It is shown once: copy it now and keep it with the receiver, which checks each request’s signature with
              it. It will not be shown again.
            </p>
            <CopyField key={created.id} label="Signing secret" value={created.secret} />
          </div>
        </Alert>
      ) : null}
    </div>
  );
}
