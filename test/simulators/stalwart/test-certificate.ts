/**
 * A self-signed Ed25519 X.509 certificate for tests, built with node:crypto and a few lines of
 * DER (RFC 5280 TBSCertificate; RFC 8410 Ed25519) so no CLI tool or library is needed. Node's
 * X509Certificate parses it the way the simulator reads the certificate file.
 */
import * as crypto from "node:crypto";

function der(tag: number, content: Buffer): Buffer {
  const len = content.length;
  const head =
    len < 0x80
      ? Buffer.from([tag, len])
      : len < 0x100
        ? Buffer.from([tag, 0x81, len])
        : Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([head, content]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
};
const utf8 = (s: string) => der(0x0c, Buffer.from(s, "utf8"));
const time = (d: Date) =>
  der(0x18, Buffer.from(d.toISOString().replace(/[-:T]/g, "").slice(0, 14) + "Z", "ascii"));
const name = (cn: string) => seq(der(0x31, seq(oid("2.5.4.3"), utf8(cn))));

export interface TestCertificate {
  certificate: string;
  privateKey: string;
}

export function selfSignedCertificate(o: {
  names: string[];
  notBefore?: Date;
  notAfter?: Date;
}): TestCertificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
  const ed25519 = seq(oid("1.3.101.112"));
  const san = seq(
    oid("2.5.29.17"),
    der(0x04, seq(...o.names.map((n) => der(0x82, Buffer.from(n, "ascii"))))),
  );
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))),
    der(0x02, crypto.randomBytes(8).fill(0x01, 0, 1)),
    ed25519,
    name(o.names[0]),
    seq(
      time(o.notBefore ?? new Date(Date.now() - 86_400_000)),
      time(o.notAfter ?? new Date(Date.now() + 90 * 86_400_000)),
    ),
    name(o.names[0]),
    publicKey.export({ type: "spki", format: "der" }),
    der(0xa3, seq(san)),
  );
  const signature = crypto.sign(null, tbs, privateKey);
  const cert = seq(tbs, ed25519, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const b64 = cert.toString("base64").replace(/(.{64})/g, "$1\n");
  return {
    certificate: `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`,
    privateKey: String(privateKey.export({ type: "pkcs8", format: "pem" })),
  };
}
