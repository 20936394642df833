"use client";

import { useActionState, useId, useState } from "react";
import { FormStatus, describeFailure, fieldErrorsOf, submitWithoutReset } from "@/components/people/form-helpers";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { WorkspaceSettings } from "@/lib/queries";

export type UpdateSettingsAction = (
  previous: ActionState<WorkspaceSettings>,
  formData: FormData,
) => Promise<ActionResult<WorkspaceSettings>>;

export interface WorkspaceSettingsFormProps {
  settings: WorkspaceSettings;
  action: UpdateSettingsAction;
  /** Called after the settings were saved. */
  onSaved: () => void;
}

/** The settings that are on or off. */
type SwitchSetting = {
  [K in keyof WorkspaceSettings]: WorkspaceSettings[K] extends boolean ? K : never;
}[keyof WorkspaceSettings];

const SWITCHES: ReadonlyArray<{ name: SwitchSetting; label: string; description: string }> = [
  {
    name: "allowSelfApproval",
    label: "Allow people to approve drafts of briefs they submitted (for teams of one)",
    description: "Off: someone other than the person who submitted the brief must approve its drafts.",
  },
  {
    name: "allowSignUp",
    label: "Allow anyone who can reach this server to create an author account",
    description: "Off: people join only by invitation. Authors can submit briefs and follow their runs.",
  },
];

/** Bounds the field offers; the server checks its own (and says so beside the field when a value is refused). */
const REVISION_ROUNDS = { min: 1, max: 1000 } as const;

/** The admin's settings for the whole workspace, saved together. */
export function WorkspaceSettingsForm({ settings, action, onSaved }: WorkspaceSettingsFormProps) {
  const [switches, setSwitches] = useState<Record<SwitchSetting, boolean>>({
    allowSelfApproval: settings.allowSelfApproval,
    allowSignUp: settings.allowSignUp,
  });
  // Text, not a number, so the field can be empty (or hold a typo) while someone edits it; the server parses it.
  const [rounds, setRounds] = useState(String(settings.maxRevisionRounds));
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<WorkspaceSettings>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setSwitches({ allowSelfApproval: result.data.allowSelfApproval, allowSignUp: result.data.allowSignUp });
        setRounds(String(result.data.maxRevisionRounds));
        onSaved();
      }
      return result;
    },
    null,
  );
  const idPrefix = useId();
  const roundsId = `${idPrefix}-maxRevisionRounds`;
  const roundsErrors = fieldErrorsOf(state, "maxRevisionRounds");
  const status = isPending
    ? "Saving…"
    : state?.ok
      ? "Settings saved."
      : state
        ? `Not saved. ${describeFailure(state.error, ["maxRevisionRounds"])}`
        : "";

  return (
    <form action={formAction} onSubmit={submitWithoutReset(formAction)} className="space-y-5" noValidate>
      <div className="space-y-3">
        {SWITCHES.map((option) => {
          const id = `${idPrefix}-${option.name}`;
          return (
            <div key={option.name} className="flex gap-3">
              <input
                id={id}
                type="checkbox"
                name={option.name}
                value="true"
                checked={switches[option.name]}
                onChange={(event) => setSwitches((current) => ({ ...current, [option.name]: event.target.checked }))}
                aria-describedby={`${id}-description`}
                className="mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
              />
              <div className="text-sm">
                <label htmlFor={id} className="font-medium text-slate-900">
                  {option.label}
                </label>
                <p id={`${id}-description`} className="text-slate-600">
                  {option.description}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={roundsId}>Revision rounds per run</Label>
        <FieldHint id={`${roundsId}-description`}>
          How many times one run’s draft may be sent back with guidance (each round is a model call). Approving stays
          possible after the last round. From {REVISION_ROUNDS.min} to {REVISION_ROUNDS.max.toLocaleString("en-US")}.
        </FieldHint>
        <input
          id={roundsId}
          type="number"
          name="maxRevisionRounds"
          inputMode="numeric"
          min={REVISION_ROUNDS.min}
          max={REVISION_ROUNDS.max}
          step={1}
          required
          value={rounds}
          onChange={(event) => setRounds(event.target.value)}
          aria-invalid={roundsErrors ? true : undefined}
          aria-describedby={cn(`${roundsId}-description`, roundsErrors && `${roundsId}-error`)}
          className={cn(inputClasses, "max-w-32 tabular-nums")}
        />
        <FieldError id={`${roundsId}-error`} messages={roundsErrors} />
      </div>
      <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Button type="submit" variant="primary" disabled={isPending}>
          {isPending ? "Saving…" : "Save"}
        </Button>
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
      </div>
    </form>
  );
}
