"use client";

import { useActionState, useId, useRef, useState } from "react";
import {
  describeFailure,
  fieldErrorsOf,
  FormStatus,
  submitWithoutReset,
  useFocusFirstInvalid,
} from "@/components/people/form-helpers";
import { formatPolicyMinutes } from "@/components/reviews/deadline-text";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { Reviewer, ReviewPolicy } from "@/lib/queries";

export type UpdateReviewPolicyAction = (
  previous: ActionState<ReviewPolicy>,
  formData: FormData,
) => Promise<ActionResult<ReviewPolicy>>;

/** The bounds the field offers; the server checks its own and says so beside the field. */
const REQUIRED_APPROVALS = { min: 1, max: 10 } as const;

/** The service's names for the fields, which its field errors use. */
const POLICY_FIELDS = [
  "requiredApprovals",
  "deadlineMinutes",
  "reminderMinutesBefore",
  "escalateToUserIds",
  "expireAfterMinutes",
] as const;

/** What a timer field shows when it is switched on and had no value before. */
const DEFAULT_HOURS = { reminder: "2", expiry: "24" } as const;

const checkboxClasses =
  "mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";

export interface ReviewPolicySectionProps {
  policy: ReviewPolicy;
  /** Null for people who may not change it: they see it read-only. */
  action: UpdateReviewPolicyAction | null;
  /** Whom reviews can be escalated to (active reviewers and admins); only needed with an action. */
  reviewers: Reviewer[];
  onSaved: () => void;
}

/**
 * The approval policy: how many approvals a draft needs, when it is due, the reminder before, whom it is escalated
 * to at the deadline and whether it expires; the current version, who set it and when. Admins change it.
 */
export function ReviewPolicySection({ policy, action, reviewers, onSaved }: ReviewPolicySectionProps) {
  return (
    <div className="space-y-4">
      <PolicyFacts policy={policy} />
      {action ? <ReviewPolicyForm policy={policy} reviewers={reviewers} action={action} onSaved={onSaved} /> : null}
    </div>
  );
}

function PolicyFacts({ policy }: { policy: ReviewPolicy }) {
  const needs = `${policy.requiredApprovals} ${policy.requiredApprovals === 1 ? "approval" : "approvals"}`;
  const escalateTo =
    policy.escalateTo.length > 0 ? policy.escalateTo.map((person) => person.name).join(", ") : "the admins";
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
      <dt className="font-medium text-slate-700">Each draft needs</dt>
      <dd className="text-slate-900" data-testid="policy-required">
        {needs} from different reviewers before it is published
      </dd>
      <dt className="font-medium text-slate-700">Due</dt>
      <dd className="text-slate-900" data-testid="policy-deadline">
        {formatPolicyMinutes(policy.deadlineMinutes)} after a draft is asked for review
      </dd>
      <dt className="font-medium text-slate-700">Reminder</dt>
      <dd className="text-slate-900" data-testid="policy-reminder">
        {policy.reminderMinutesBefore === null
          ? "None"
          : `${formatPolicyMinutes(policy.reminderMinutesBefore)} before the deadline, to its assignees (or every reviewer)`}
      </dd>
      <dt className="font-medium text-slate-700">At the deadline</dt>
      <dd className="text-slate-900" data-testid="policy-escalation">
        Escalated to {escalateTo}
      </dd>
      <dt className="font-medium text-slate-700">Expiry</dt>
      <dd className="text-slate-900" data-testid="policy-expiry">
        {policy.expireAfterMinutes === null
          ? "Never: an overdue draft waits for a decision"
          : `Rejected as expired ${formatPolicyMinutes(policy.expireAfterMinutes)} after the deadline`}
      </dd>
      <dt className="font-medium text-slate-700">Version</dt>
      <dd className="text-slate-900" data-testid="policy-version">
        {policy.version === null ? (
          "Default (nobody has changed it yet)"
        ) : (
          <>
            v{policy.version}, changed by {policy.updatedBy ?? "an unnamed admin"}
            {policy.updatedAt ? (
              <>
                {" "}
                on <LocalTime iso={policy.updatedAt} />
              </>
            ) : null}
          </>
        )}
      </dd>
    </dl>
  );
}

/** Minutes as the hours the form edits ("24", "1.5"). */
function hoursText(minutes: number): string {
  return String(Math.round((minutes / 60) * 100) / 100);
}

/** The form's values: text, so a field can be empty (or hold a typo) while someone edits it; the server parses it. */
interface PolicyValues {
  requiredApprovals: string;
  deadlineHours: string;
  hasReminder: boolean;
  reminderHoursBefore: string;
  escalateToUserIds: string[];
  hasExpiry: boolean;
  expireAfterHours: string;
}

function valuesOf(policy: ReviewPolicy): PolicyValues {
  return {
    requiredApprovals: String(policy.requiredApprovals),
    deadlineHours: hoursText(policy.deadlineMinutes),
    hasReminder: policy.reminderMinutesBefore !== null,
    reminderHoursBefore:
      policy.reminderMinutesBefore === null ? DEFAULT_HOURS.reminder : hoursText(policy.reminderMinutesBefore),
    escalateToUserIds: policy.escalateTo.map((person) => person.userId),
    hasExpiry: policy.expireAfterMinutes !== null,
    expireAfterHours: policy.expireAfterMinutes === null ? DEFAULT_HOURS.expiry : hoursText(policy.expireAfterMinutes),
  };
}

function ReviewPolicyForm({
  policy,
  reviewers,
  action,
  onSaved,
}: {
  policy: ReviewPolicy;
  reviewers: Reviewer[];
  action: UpdateReviewPolicyAction;
  onSaved: () => void;
}) {
  const [values, setValues] = useState(() => valuesOf(policy));
  const set = <K extends keyof PolicyValues>(key: K, value: PolicyValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const [state, formAction, isPending] = useActionState(
    async (previous: ActionState<ReviewPolicy>, formData: FormData) => {
      const result = await action(previous, formData);
      if (result.ok) {
        setValues(valuesOf(result.data)); // as saved (hours rounded to whole minutes)
        onSaved();
      }
      return result;
    },
    null,
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const id = useId();
  const errorsOf = (field: (typeof POLICY_FIELDS)[number]) => fieldErrorsOf(state, field);
  const status = isPending
    ? "Saving…"
    : state?.ok
      ? `Saved as version ${state.data.version}: new runs need ${state.data.requiredApprovals} ${state.data.requiredApprovals === 1 ? "approval" : "approvals"}.`
      : state
        ? `Not saved. ${describeFailure(state.error, POLICY_FIELDS)}`
        : "";
  // people escalated to before who are no longer reviewers are not offered again (saving drops them)
  const toggleEscalation = (userId: string, isChecked: boolean) =>
    set(
      "escalateToUserIds",
      isChecked
        ? [...values.escalateToUserIds, userId]
        : values.escalateToUserIds.filter((candidate) => candidate !== userId),
    );
  const requiredErrors = errorsOf("requiredApprovals");
  const deadlineErrors = errorsOf("deadlineMinutes");
  const escalationErrors = errorsOf("escalateToUserIds");

  return (
    <form
      ref={formRef}
      action={formAction}
      onSubmit={submitWithoutReset(formAction)}
      className="space-y-5 border-t border-slate-200 pt-4"
      noValidate
    >
      <p className="text-sm text-slate-600">
        Saving makes a new version for runs submitted from now on; runs already started keep the policy they started
        with.
      </p>
      <div className="grid gap-5 sm:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-required`}>Required approvals</Label>
          <FieldHint id={`${id}-required-hint`}>
            From {REQUIRED_APPROVALS.min} to {REQUIRED_APPROVALS.max}, each from a different reviewer.
          </FieldHint>
          <input
            id={`${id}-required`}
            type="number"
            name="requiredApprovals"
            inputMode="numeric"
            min={REQUIRED_APPROVALS.min}
            max={REQUIRED_APPROVALS.max}
            step={1}
            required
            value={values.requiredApprovals}
            onChange={(event) => set("requiredApprovals", event.target.value)}
            aria-invalid={requiredErrors ? true : undefined}
            aria-describedby={cn(`${id}-required-hint`, requiredErrors && `${id}-required-error`)}
            className={cn(inputClasses, "max-w-32 tabular-nums")}
          />
          <FieldError id={`${id}-required-error`} messages={requiredErrors} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={`${id}-deadline`}>Deadline (hours)</Label>
          <FieldHint id={`${id}-deadline-hint`}>Counted from when each draft is asked for review.</FieldHint>
          <input
            id={`${id}-deadline`}
            type="number"
            name="deadlineHours"
            inputMode="decimal"
            min={1}
            step="any"
            required
            value={values.deadlineHours}
            onChange={(event) => set("deadlineHours", event.target.value)}
            aria-invalid={deadlineErrors ? true : undefined}
            aria-describedby={cn(`${id}-deadline-hint`, deadlineErrors && `${id}-deadline-error`)}
            className={cn(inputClasses, "max-w-32 tabular-nums")}
          />
          <FieldError id={`${id}-deadline-error`} messages={deadlineErrors} />
        </div>
        <TimerField
          id={`${id}-reminder`}
          legend="Reminder"
          switchName="reminder"
          switchLabel="Remind before the deadline"
          switchHint="Its assignees, or every reviewer when nobody is assigned."
          isOn={values.hasReminder}
          onToggle={(isOn) => set("hasReminder", isOn)}
          hoursName="reminderHoursBefore"
          hoursLabel="Hours before the deadline"
          hours={values.reminderHoursBefore}
          onHoursChange={(hours) => set("reminderHoursBefore", hours)}
          errors={errorsOf("reminderMinutesBefore")}
        />
        <TimerField
          id={`${id}-expiry`}
          legend="Expiry"
          switchName="expiry"
          switchLabel="Reject drafts still undecided"
          switchHint="With the reason “Expired: no decision by the deadline.” Off: an overdue draft waits for a decision."
          isOn={values.hasExpiry}
          onToggle={(isOn) => set("hasExpiry", isOn)}
          hoursName="expireAfterHours"
          hoursLabel="Hours after the deadline"
          hours={values.expireAfterHours}
          onHoursChange={(hours) => set("expireAfterHours", hours)}
          errors={errorsOf("expireAfterMinutes")}
        />
      </div>
      <fieldset
        className="space-y-2"
        aria-describedby={cn(`${id}-escalation-hint`, escalationErrors && `${id}-escalation-error`)}
      >
        <legend className="text-sm font-medium text-slate-900">Escalate to</legend>
        <FieldHint id={`${id}-escalation-hint`}>
          At the deadline the draft is assigned to these people too. Choose nobody to escalate to every admin.
        </FieldHint>
        <ul className="grid gap-x-6 gap-y-2 sm:grid-cols-2">
          {reviewers.map((reviewer) => {
            const checkboxId = `${id}-escalate-${reviewer.userId}`;
            return (
              <li key={reviewer.userId} className="flex gap-3 text-sm">
                <input
                  id={checkboxId}
                  type="checkbox"
                  name="escalateToUserIds"
                  value={reviewer.userId}
                  checked={values.escalateToUserIds.includes(reviewer.userId)}
                  onChange={(event) => toggleEscalation(reviewer.userId, event.target.checked)}
                  className={checkboxClasses}
                />
                <label htmlFor={checkboxId} className="min-w-0 break-words text-slate-900">
                  {reviewer.name} <span className="text-slate-600">({reviewer.role})</span>
                </label>
              </li>
            );
          })}
        </ul>
        <FieldError id={`${id}-escalation-error`} messages={escalationErrors} />
      </fieldset>
      <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Button type="submit" variant="primary" disabled={isPending}>
          {isPending ? "Saving…" : "Save policy"}
        </Button>
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} />
      </div>
    </form>
  );
}

interface TimerFieldProps {
  id: string;
  legend: string;
  /** The checkbox that turns the timer on ("on" when checked). */
  switchName: string;
  switchLabel: string;
  switchHint: string;
  isOn: boolean;
  onToggle: (isOn: boolean) => void;
  /** The hours field, sent only while the timer is on. */
  hoursName: string;
  hoursLabel: string;
  hours: string;
  onHoursChange: (hours: string) => void;
  errors: string[] | undefined;
}

/** A timer that is on or off, with its hours: the reminder before the deadline, the expiry after it. */
function TimerField({
  id,
  legend,
  switchName,
  switchLabel,
  switchHint,
  isOn,
  onToggle,
  hoursName,
  hoursLabel,
  hours,
  onHoursChange,
  errors,
}: TimerFieldProps) {
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-900">{legend}</legend>
      <div className="flex gap-3 text-sm">
        <input
          id={`${id}-switch`}
          type="checkbox"
          name={switchName}
          value="on"
          checked={isOn}
          onChange={(event) => onToggle(event.target.checked)}
          aria-describedby={`${id}-switch-hint`}
          className={checkboxClasses}
        />
        <div>
          <label htmlFor={`${id}-switch`} className="text-slate-900">
            {switchLabel}
          </label>
          <p id={`${id}-switch-hint`} className="text-slate-600">
            {switchHint}
          </p>
        </div>
      </div>
      <div className="space-y-1.5 pl-7">
        <Label htmlFor={`${id}-hours`} className={cn(!isOn && "text-slate-600")}>
          {hoursLabel}
        </Label>
        <input
          id={`${id}-hours`}
          type="number"
          name={hoursName}
          inputMode="decimal"
          min={0}
          step="any"
          disabled={!isOn}
          value={hours}
          onChange={(event) => onHoursChange(event.target.value)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? `${id}-error` : undefined}
          className={cn(inputClasses, "max-w-32 tabular-nums disabled:bg-slate-100 disabled:text-slate-600")}
        />
        <FieldError id={`${id}-error`} messages={errors} />
      </div>
    </fieldset>
  );
}
