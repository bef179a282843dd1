/**
 * The loopback store behind ../project/dns-store.ts: PUT, GET and DELETE of JSON documents by
 * path (rrsets/<zone>/<name>/<type>, zones/<name>). It counts requests like the API simulators
 * (same FaultServer), so "the second up writes nothing" covers DNS too.
 */
import { FaultServer, type SimRequest, type SimResponse } from "../../simulators/fault-server";

export class DnsStoreServer {
  readonly objects = new Map<string, unknown>();
  readonly server = new FaultServer((req) => this.handle(req));

  start(): Promise<string> {
    return this.server.start();
  }
  stop(): Promise<void> {
    return this.server.stop();
  }

  private handle(req: SimRequest): SimResponse {
    const key = req.path.replace(/^\/+/, "");
    if (!/^(rrsets\/[^/]+\/[^/]+\/[A-Z]+|zones\/[^/]+)$/.test(key)) {
      return { status: 404, body: { error: `no such collection: ${key}` } };
    }
    switch (req.method) {
      case "PUT":
        if (req.body === undefined || typeof req.body !== "object") {
          return { status: 400, body: { error: "body must be a JSON object" } };
        }
        this.objects.set(key, req.body);
        return { status: 200, body: req.body };
      case "GET":
        return this.objects.has(key)
          ? { status: 200, body: this.objects.get(key) }
          : { status: 404, body: { error: "not found" } };
      case "DELETE":
        return this.objects.delete(key)
          ? { status: 204 }
          : { status: 404, body: { error: "not found" } };
      default:
        return { status: 405, body: { error: `${req.method} not allowed` } };
    }
  }
}
