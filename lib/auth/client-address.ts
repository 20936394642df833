/**
 * The client's address as the reverse proxy in front of the server reports it (`X-Forwarded-For`'s first hop,
 * else `X-Real-IP`), or null. Only a hint: without a proxy a client can set these itself, which is why limits
 * also count per account.
 */
export function clientAddressOf(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || null;
}
