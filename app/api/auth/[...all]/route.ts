// GET /api/auth/:...all and POST /api/auth/:...all — the sign-in library's endpoints: session, email sign-in, sign-out, the OIDC callback.
import { getAuth } from "@/lib/auth";

export const dynamic = "force-dynamic";

/** Better Auth checks the Origin of cookie-authenticated POSTs itself (APP_URL and loopback are trusted). */
export async function GET(request: Request) {
  return getAuth().handler(request);
}

export async function POST(request: Request) {
  return getAuth().handler(request);
}
