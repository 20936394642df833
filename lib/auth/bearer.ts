/** The key of an `Authorization: Bearer <key>` header, or null when there is none. Pure, for any runtime. */
export function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}
