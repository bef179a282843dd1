/**
 * The HTTP base every API simulator shares: a loopback server that logs and counts requests
 * and injects faults on demand (status codes with Retry-After, connection resets, hangs, and a
 * response lost after the request already changed state). Service logic lives in handlers.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export type Fault =
  | { kind: "status"; status: number; body?: unknown; retryAfter?: string }
  | { kind: "reset" }
  | { kind: "timeout" }
  | { kind: "lose-response" };

export interface FaultMatch {
  method?: string;
  /** Exact path or a pattern tested against the path. */
  path?: string | RegExp;
  /** Predicate on the parsed request, e.g. a JMAP method name in the body. */
  when?: (req: SimRequest) => boolean;
}

interface PendingFault {
  fault: Fault;
  match: FaultMatch;
  remaining: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number | "fault";
  body: unknown;
}

function matches(match: FaultMatch, req: SimRequest): boolean {
  if (match.method && match.method !== req.method) return false;
  if (match.path !== undefined) {
    if (typeof match.path === "string" ? match.path !== req.path : !match.path.test(req.path)) {
      return false;
    }
  }
  return match.when ? match.when(req) : true;
}

export class FaultServer {
  readonly log: LoggedRequest[] = [];
  private faults: PendingFault[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<import("node:net").Socket>();
  url = "";

  constructor(private readonly handler: Handler) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Queue a fault for the next `times` requests that match. */
  inject(fault: Fault, match: FaultMatch = {}, times = 1): void {
    this.faults.push({ fault, match, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Injected faults that have not fired yet (a test checks its fault really happened). */
  pendingFaults(): number {
    return this.faults.reduce((sum, f) => sum + f.remaining, 0);
  }

  /** Requests seen, optionally filtered by method and path pattern. */
  count(filter: FaultMatch = {}): number {
    return this.log.filter((r) =>
      matches(filter, {
        method: r.method,
        path: r.path,
        query: new URLSearchParams(),
        headers: {},
        rawBody: "",
        body: r.body,
      }),
    ).length;
  }

  resetLog(): void {
    this.log.length = 0;
  }

  private takeFault(req: SimRequest): Fault | undefined {
    const pending = this.faults.find((f) => f.remaining > 0 && matches(f.match, req));
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining === 0) this.faults = this.faults.filter((f) => f !== pending);
    return pending.fault;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const simReq: SimRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      body,
    };
    const fault = this.takeFault(simReq);
    if (fault && fault.kind !== "lose-response") {
      this.log.push({ method: simReq.method, path: simReq.path, status: "fault", body });
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "timeout") return; // never answer; the client's timeout must fire
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify(fault.body ?? { detail: `injected HTTP ${fault.status}` }));
      return;
    }
    let response: SimResponse;
    try {
      response = await this.handler(simReq);
    } catch (error) {
      response = { status: 500, body: { detail: `simulator error: ${String(error)}` } };
    }
    this.log.push({ method: simReq.method, path: simReq.path, status: response.status, body });
    if (fault?.kind === "lose-response") {
      // The state change happened; the client never hears about it.
      req.socket.destroy();
      return;
    }
    const isText = typeof response.body === "string";
    res.writeHead(response.status, {
      ...(response.body === undefined
        ? {}
        : { "content-type": isText ? "text/plain" : "application/json" }),
      ...response.headers,
    });
    res.end(
      response.body === undefined
        ? undefined
        : isText
          ? response.body
          : JSON.stringify(response.body),
    );
  }
}
