/**
 * A tiny authoritative DNS stand-in on 127.0.0.1 (UDP) for "is this DKIM record published
 * yet": it answers TXT queries from a map the test fills (what the customer or the Hetzner
 * zone has published) and NXDOMAIN for anything else. Enough for node:dns Resolver with
 * setServers(["127.0.0.1:<port>"]); no recursion, no other record types.
 */
import * as dgram from "node:dgram";

export class DnsStub {
  /** Published TXT records: lower-case name without the trailing dot -> texts. */
  readonly txt = new Map<string, string[]>();
  queries = 0;
  private socket = dgram.createSocket("udp4");

  async start(): Promise<string> {
    this.socket.on("message", (msg, rinfo) => {
      this.queries++;
      const reply = this.answer(msg);
      if (reply) this.socket.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, "127.0.0.1", resolve));
    return `127.0.0.1:${this.socket.address().port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(msg: Buffer): Buffer | undefined {
    if (msg.length < 12) return undefined;
    let offset = 12;
    const labels: string[] = [];
    while (offset < msg.length && msg[offset] !== 0) {
      const len = msg[offset];
      labels.push(msg.subarray(offset + 1, offset + 1 + len).toString("ascii"));
      offset += len + 1;
    }
    const questionEnd = offset + 5; // zero label, qtype, qclass
    const qtype = msg.readUInt16BE(offset + 1);
    const name = labels.join(".").toLowerCase();
    const texts = qtype === 16 ? this.txt.get(name) : undefined;
    const answers = (texts ?? []).map((text) => {
      const chunks: Buffer[] = [];
      const bytes = Buffer.from(text, "utf8");
      for (let i = 0; i < bytes.length || i === 0; i += 255) {
        const part = bytes.subarray(i, i + 255);
        chunks.push(Buffer.from([part.length]), part);
      }
      const rdata = Buffer.concat(chunks);
      const head = Buffer.alloc(12);
      head.writeUInt16BE(0xc00c, 0); // pointer to the question name
      head.writeUInt16BE(16, 2); // TXT
      head.writeUInt16BE(1, 4); // IN
      head.writeUInt32BE(60, 6);
      head.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([head, rdata]);
    });
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    const nameExists = [...this.txt.keys()].includes(name);
    header.writeUInt16BE(nameExists ? 0x8180 : 0x8183, 2); // NOERROR / NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, msg.subarray(12, questionEnd), ...answers]);
  }
}
