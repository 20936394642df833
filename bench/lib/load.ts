/** autocannon with every response's latency and status kept, so p50/p95/p99 and status counts are exact. */
import autocannon from "autocannon";
import { percentile } from "./stats";

export interface LoadResult {
  requests: number;
  durationS: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  amount: number;
  method?: "GET" | "POST";
  path?: string;
  /** Builds each request (a different run each time); return undefined when there is nothing left to send. */
  next?: () => { path: string; body: string } | undefined;
  /** Sent with every request (the credentials). */
  headers?: Record<string, string>;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const started = performance.now();
    let lastResponseAt = started;
    const nextRequest = options.next;
    const requests: autocannon.Request[] | undefined = nextRequest
      ? [
          {
            method: options.method ?? "POST",
            setupRequest: (request) => {
              const next = nextRequest();
              if (!next) return undefined as unknown as autocannon.Request; // resets the pipeline: nothing left
              return {
                ...request,
                path: next.path,
                body: next.body,
                headers: { ...request.headers, ...options.headers, "content-type": "application/json" },
              };
            },
          },
        ]
      : undefined;
    const instance = autocannon(
      {
        url: options.url + (options.path ?? ""),
        method: options.method ?? "GET",
        connections: options.connections,
        amount: options.amount,
        ...(options.headers ? { headers: options.headers } : {}),
        timeout: 30,
        ...(requests ? { requests } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        // From the first request to the last response: autocannon's own duration is rounded up to its 1 s ticks.
        const durationS = (lastResponseAt - started) / 1000;
        resolve({
          requests: latencies.length,
          durationS,
          perSecond: latencies.length / durationS,
          p50Ms: percentile(latencies, 50),
          p95Ms: percentile(latencies, 95),
          p99Ms: percentile(latencies, 99),
          maxMs: Math.max(...latencies),
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      lastResponseAt = performance.now();
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}
