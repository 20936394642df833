"use client";

import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";

export interface TextFieldProps {
  label: string;
  /** Omitted for a field that is shown but not sent. */
  name?: string;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  hint?: ReactNode;
  /** The field's messages from the server, shown right under it. */
  errors?: readonly string[];
  required?: boolean;
  readOnly?: boolean;
  className?: string;
}

/**
 * A labelled input with its hint and errors tied to it (aria-describedby). Password fields get a
 * Show/Hide button, so people can check what they typed.
 */
export function TextField({
  label,
  name,
  value,
  onChange,
  type = "text",
  autoComplete,
  hint,
  errors,
  required,
  readOnly,
  className,
}: TextFieldProps) {
  const ids = { input: useId(), hint: useId(), error: useId() };
  const [isRevealed, setIsRevealed] = useState(false);
  const hasErrors = errors !== undefined && errors.length > 0;
  const isPassword = type === "password";
  const input = (
    <input
      id={ids.input}
      name={name}
      type={isPassword && isRevealed ? "text" : type}
      autoComplete={autoComplete}
      autoCapitalize={type === "text" ? undefined : "none"}
      spellCheck={type === "text" ? undefined : false}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      required={required}
      aria-required={required}
      readOnly={readOnly}
      aria-invalid={hasErrors ? true : undefined}
      aria-describedby={cn(hint ? ids.hint : undefined, hasErrors && ids.error) || undefined}
      className={cn(inputClasses, readOnly && "bg-slate-50 text-slate-700")}
    />
  );
  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={ids.input}>{label}</Label>
      {hint ? <FieldHint id={ids.hint}>{hint}</FieldHint> : null}
      {isPassword ? (
        <div className="flex gap-2">
          <div className="min-w-0 flex-1">{input}</div>
          <Button variant="secondary" aria-controls={ids.input} onClick={() => setIsRevealed((shown) => !shown)}>
            {isRevealed ? "Hide" : "Show"}
            <span className="sr-only"> {label.toLowerCase()}</span>
          </Button>
        </div>
      ) : (
        input
      )}
      <FieldError id={ids.error} messages={errors} />
    </div>
  );
}
