"use client";

import Link from "next/link";
import { useActionState, useId, useState } from "react";
import { describeFailure, FormStatus, submitWithoutReset } from "@/components/people/form-helpers";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { NotificationPreferences } from "@/lib/queries";

export type UpdateNotificationPreferencesAction = (
  previous: ActionState<NotificationPreferences>,
  formData: FormData,
) => Promise<ActionResult<NotificationPreferences>>;

export interface NotificationPreferencesFormProps {
  preferences: NotificationPreferences;
  action: UpdateNotificationPreferencesAction;
  /** Where admins set up email, Slack and webhooks; null for everyone else (they are told to ask an admin). */
  channelsHref: string | null;
  onSaved: () => void;
}

const checkboxClasses =
  "mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";

function emailedOf(preferences: NotificationPreferences): Record<string, boolean> {
  return Object.fromEntries(preferences.preferences.map((preference) => [preference.kind, preference.email]));
}

function savedMessage(preferences: NotificationPreferences): string {
  const on = preferences.preferences.filter((preference) => preference.email).length;
  if (on === 0) return "Saved: Draftgate sends you no email.";
  return `Saved: you get email for ${on} of ${preferences.preferences.length} kinds of event.`;
}

/**
 * Each person's email notifications: one switch per kind of event (all on until turned off), where the email goes,
 * and a plain warning when this server sends no email at all.
 */
export function NotificationPreferencesForm({
  preferences,
  action,
  channelsHref,
  onSaved,
}: NotificationPreferencesFormProps) {
  const [emailed, setEmailed] = useState(() => emailedOf(preferences));
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<NotificationPreferences>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setEmailed(emailedOf(result.data));
        onSaved();
      }
      return result;
    },
    null,
  );
  const id = useId();
  const errors = state && !state.ok ? state.error.fieldErrors?.preferences : undefined;
  const status = isPending
    ? "Saving…"
    : state?.ok
      ? savedMessage(state.data)
      : state
        ? `Not saved. ${describeFailure(state.error, ["preferences"])}`
        : "";

  return (
    <div className="space-y-4">
      {preferences.emailConfigured ? null : (
        <Alert tone="warning" title="This server sends no email: SMTP_URL is not set.">
          {channelsHref ? (
            <>
              Set <code className="font-mono text-xs">SMTP_URL</code> (and{" "}
              <code className="font-mono text-xs">MAIL_FROM</code>) in the server’s environment and restart it. See{" "}
              <Link href={channelsHref} className="font-medium text-sky-800 underline">
                notification channels
              </Link>
              .
            </>
          ) : (
            "Your choices below are kept, and apply once an admin sets up email."
          )}
        </Alert>
      )}
      <p className="text-sm text-slate-700" data-testid="notification-address">
        {preferences.address ? (
          <>
            Email goes to <span className="font-medium wrap-anywhere text-slate-900">{preferences.address}</span>, the
            address of your account.
          </>
        ) : (
          "Your account has no email address, so nothing can be emailed to you."
        )}
      </p>
      <form action={formAction} onSubmit={submitWithoutReset(formAction)} className="space-y-4" noValidate>
        <fieldset className="space-y-2" aria-describedby={errors ? `${id}-error` : undefined}>
          <legend className="text-sm font-medium text-slate-900">Email me when</legend>
          {/* in columns, not rows: the service's order keeps the review kinds together, then those about one's briefs */}
          <ul className="sm:columns-2 sm:gap-x-6">
            {preferences.preferences.map((preference) => {
              const checkboxId = `${id}-${preference.kind}`;
              return (
                <li key={preference.kind} className="mb-2 flex break-inside-avoid gap-3 text-sm">
                  <input type="hidden" name="kind" value={preference.kind} />
                  <input
                    id={checkboxId}
                    type="checkbox"
                    name="email"
                    value={preference.kind}
                    checked={emailed[preference.kind] ?? true}
                    onChange={(event) =>
                      setEmailed((current) => ({ ...current, [preference.kind]: event.target.checked }))
                    }
                    className={checkboxClasses}
                  />
                  <label htmlFor={checkboxId} className="min-w-0 text-slate-900">
                    {preference.label}
                  </label>
                </li>
              );
            })}
          </ul>
          <FieldError id={`${id}-error`} messages={errors} />
        </fieldset>
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button type="submit" variant="primary" disabled={isPending}>
            {isPending ? "Saving…" : "Save notifications"}
          </Button>
          <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
        </div>
      </form>
    </div>
  );
}
