"use client";

import { useActionState, useRef, useState } from "react";
import { CopyField } from "@/components/people/copy-field";
import { describeFailure, fieldErrorsOf, FormStatus, useFocusFirstInvalid } from "@/components/people/form-helpers";
import { TextField } from "@/components/people/text-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { CreatedApiKey } from "@/lib/queries";

export type CreateApiKeyAction = (
  previous: ActionState<CreatedApiKey>,
  formData: FormData,
) => Promise<ActionResult<CreatedApiKey>>;

export interface CreateApiKeyFormProps {
  action: CreateApiKeyAction;
  /** Called after a key was created (to refresh the list of keys). */
  onCreated: () => void;
}

/** Names a new API key; the key itself is shown once, right here, to copy. */
export function CreateApiKeyForm({ action, onCreated }: CreateApiKeyFormProps) {
  const [name, setName] = useState("");
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<CreatedApiKey>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setName("");
        onCreated();
      }
      return result;
    },
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const created = state?.ok ? state.data : null;
  const status = isPending
    ? "Creating the key…"
    : created
      ? `Key “${created.name}” created. Copy it now: it is shown once.`
      : state && !state.ok
        ? `Not created. ${describeFailure(state.error, ["name"])}`
        : "";

  return (
    <div className="space-y-4">
      <form ref={formRef} action={formAction} className="space-y-3" noValidate>
        <TextField
          label="Key name"
          name="name"
          autoComplete="off"
          value={name}
          onChange={setName}
          hint="Say where it is used, like “CI release job”."
          errors={fieldErrorsOf(state, "name")}
          required
          className="max-w-md"
        />
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button type="submit" variant="primary" disabled={isPending}>
            {isPending ? "Creating…" : "Create key"}
          </Button>
          <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
        </div>
      </form>

      {created ? (
        <Alert tone="success" title={`New key “${created.name}”`}>
          <div className="space-y-3">
            <p>
              It is shown once: copy it now. Send it as{" "}
              <code className="rounded bg-white/70 px-1 font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>.
            </p>
            <CopyField key={created.keyId} label="API key" value={created.key} />
          </div>
        </Alert>
      ) : null}
    </div>
  );
}
