import { z } from "zod";
import { ServiceError } from "@/lib/services";
import { HttpError } from "./errors";

/** Bodies larger than this are refused before parsing; the largest valid body (a 20,000-character brief) is far below. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * Reads a JSON body and validates it with `schema`.
 * - not JSON (or empty, unless `allowEmpty`), or larger than {@link MAX_BODY_BYTES}: BAD_REQUEST (400)
 * - JSON of the wrong shape: VALIDATION_FAILED (422) with `fieldErrors`
 * An empty body with `allowEmpty` is read as `{}` (for endpoints whose fields are all optional).
 */
export async function parseJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  options: { allowEmpty?: boolean } = {},
): Promise<T> {
  const text = await readBodyText(request);
  let value: unknown;
  if (text.trim() === "") {
    if (!options.allowEmpty)
      throw new HttpError(
        "BAD_REQUEST",
        "The request body is empty; send a JSON object (Content-Type: application/json).",
      );
    value = {};
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      throw new HttpError(
        "BAD_REQUEST",
        "The request body is not valid JSON; send a JSON object (Content-Type: application/json).",
      );
    }
  }
  return validate(schema, value);
}

/** Validates the query string: VALIDATION_FAILED (422) with `fieldErrors` naming the bad parameters. */
export function parseSearchParams<T>(request: Request, schema: z.ZodType<T>): T {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  // an empty parameter (`?status=`) means "not given", as in a form that left a filter blank
  for (const [key, value] of params) if (value !== "" && !(key in raw)) raw[key] = value;
  return validate(schema, raw);
}

/** The shape every id in a path has (UUIDs, content hashes); anything else names nothing that exists. */
export const idParamSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);

/**
 * Validates a path parameter that holds an id. A malformed id cannot name an existing resource, so it is
 * reported as `notFound()` (a 404 with the resource's NOT_FOUND code), without echoing the input.
 */
export function parseIdParam(value: string | undefined, notFound: () => Error): string {
  const parsed = idParamSchema.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** Turns a zod failure into VALIDATION_FAILED: the first problem as the message, every problem by field. */
export function validate<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.map(String).join(".")}: ` : "";
  throw new ServiceError("VALIDATION_FAILED", `${where}${first?.message ?? "The request is invalid."}`, {
    fieldErrors,
  });
}

async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(
      "BAD_REQUEST",
      "The request body is not valid UTF-8 text; send a JSON object (Content-Type: application/json).",
    );
  }
}

function tooLarge(): HttpError {
  return new HttpError(
    "BAD_REQUEST",
    `The request body is larger than ${MAX_BODY_BYTES.toLocaleString("en-US")} bytes.`,
  );
}
