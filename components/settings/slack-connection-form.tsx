"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { describeFailure, fieldErrorsOf, FormStatus, useFocusFirstInvalid } from "@/components/people/form-helpers";
import { TextField } from "@/components/people/text-field";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { NotificationChannelsInfo } from "@/lib/queries";

export type SetSlackWebhookAction = (
  previous: ActionState<NotificationChannelsInfo>,
  formData: FormData,
) => Promise<ActionResult<NotificationChannelsInfo>>;

export interface SlackConnectionFormProps {
  slack: NotificationChannelsInfo["slack"];
  action: SetSlackWebhookAction;
  /** Called after Slack was connected, replaced or disconnected. */
  onChanged: () => void;
}

/**
 * The workspace's Slack channel: connect it by pasting an incoming-webhook URL (a secret: afterwards only its host
 * and last characters show), replace it, or disconnect it (a second, explicit click: the URL is not shown again).
 */
export function SlackConnectionForm({ slack, action, onChanged }: SlackConnectionFormProps) {
  const [url, setUrl] = useState("");
  const [isConfirming, setIsConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const disconnectRef = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<"confirm" | "disconnect" | null>(null);
  // One state for both forms (connect and disconnect): one status line says what the last of them did.
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<NotificationChannelsInfo>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setUrl("");
        setIsConfirming(false);
        onChanged();
      }
      return result;
    },
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);

  useEffect(() => {
    if (focusNext.current === "confirm") confirmRef.current?.focus();
    if (focusNext.current === "disconnect") disconnectRef.current?.focus();
    focusNext.current = null;
  }, [isConfirming]);

  function showConfirmation(isShown: boolean) {
    focusNext.current = isShown ? "confirm" : "disconnect";
    setIsConfirming(isShown);
  }

  const status = isPending
    ? "Saving…"
    : state?.ok
      ? state.data.slack.connected
        ? `Slack connected: posting to ${state.data.slack.urlHint}.`
        : "Slack disconnected: nothing more is posted there."
      : state
        ? `Not saved. ${describeFailure(state.error, ["url"])}`
        : "";

  return (
    <div className="space-y-4">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="slack-status">
        {slack.connected ? (
          <>
            <Badge tone="success">Connected</Badge>
            <span>
              Posting to{" "}
              <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs wrap-anywhere text-slate-800">
                {slack.urlHint}
              </code>
            </span>
          </>
        ) : (
          <>
            <Badge tone="muted">Not connected</Badge>
            <span>Nothing is posted to Slack.</span>
          </>
        )}
      </p>
      <form ref={formRef} action={formAction} className="space-y-3" noValidate>
        <TextField
          label={slack.connected ? "New incoming-webhook URL" : "Incoming-webhook URL"}
          name="url"
          autoComplete="off"
          value={url}
          onChange={setUrl}
          hint={
            <>
              In Slack: add the Incoming Webhooks app to a channel and copy its URL (
              <code className="font-mono text-xs">https://hooks.slack.com/services/…</code>). It is a secret: once
              saved, only its host and last four characters are shown.
            </>
          }
          errors={fieldErrorsOf(state, "url")}
          required
          className="max-w-xl"
        />
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Button type="submit" variant="primary" disabled={isPending}>
            {slack.connected ? "Replace URL" : "Connect Slack"}
          </Button>
          {/* says what either form did: after a disconnect, this form is what stays on screen */}
          <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
        </div>
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      </form>
      {slack.connected ? (
        <form action={formAction} className="border-t border-slate-200 pt-4">
          <input type="hidden" name="url" value="" />
          {isConfirming ? (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <p className="text-slate-800">
                Nothing more is posted to the channel; to connect it again you need its URL from Slack.
              </p>
              <Button ref={confirmRef} type="submit" variant="danger" disabled={isPending}>
                Disconnect Slack now
              </Button>
              <Button variant="ghost" onClick={() => showConfirmation(false)} disabled={isPending}>
                Keep it
              </Button>
            </div>
          ) : (
            <Button ref={disconnectRef} onClick={() => showConfirmation(true)} className="text-rose-800">
              Disconnect Slack
            </Button>
          )}
        </form>
      ) : null}
    </div>
  );
}
