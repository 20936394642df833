import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

/** The fewest characters a password may have; strength is judged by `checkPassword`. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

let estimator: ZxcvbnFactory | undefined;

/**
 * The password rule: at least 10 characters, and hard to guess by zxcvbn's estimate (score 3 of 4: about 10^8
 * guesses or more), judged against common passwords, keyboard patterns, and the person's own name and email.
 * Returns a sentence saying what is wrong, or null when the password is good.
 */
export function checkPassword(password: string, personal: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  const inputs = personal.flatMap((value) => [value, ...value.split(/[\s@._-]+/)]).filter((value) => value.length >= 3);
  const result = estimator.check(password, inputs);
  if (result.score >= 3) return null;
  const hint = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ");
  return `This password is too easy to guess.${hint ? ` ${hint}` : ""} A few unrelated words make a strong one.`;
}
