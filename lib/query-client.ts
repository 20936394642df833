import { isServer, QueryClient } from "@tanstack/react-query";
import { isApiError } from "./queries";

/** One QueryClient configuration for the server (one per request) and the browser (one per tab). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Server-rendered data is fresh on arrival: without a staleTime the browser would refetch it at once.
        // Live views poll with their own refetchInterval, which ignores staleTime.
        staleTime: 10_000,
        // A 4xx (not found, conflict, invalid) will not change on retry; network blips and 5xx get two more tries.
        retry: (failureCount, error) => !(isApiError(error) && error.status < 500) && failureCount < 2,
        // Coming back to the tab is when a reviewer expects fresh status.
        refetchOnWindowFocus: true,
      },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

/** A fresh client per server request (no data shared between users); one shared client in the browser. */
export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
