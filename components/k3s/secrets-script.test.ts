/**
 * The secret drop-in writer under a real POSIX sh: S3 keys rotate (k3s restarts to read them),
 * the cluster token does not. k3s encrypts its bootstrap data and every etcd snapshot with the
 * server token, so a server started with another one does not come up; rotation goes through
 * `k3s token rotate` (k3s-io/docs docs/cli/token.md "Server", "k3s token rotate").
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderSecretsDropIn } from "./config";
import { renderSecretsWriteScript } from "./scripts";

let dir = "";
const secrets = () => path.join(dir, "etc", "config.yaml.d", "50-secrets.yaml");

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dezky-secrets-"));
  fs.mkdirSync(path.join(dir, "bin"));
  fs.writeFileSync(
    path.join(dir, "bin", "systemctl"),
    `#!/bin/sh\necho "systemctl $*" >>${path.join(dir, "log")}\n[ "$1" != is-active ] || exit 0\n`,
    { mode: 0o755 },
  );
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(token: string, accessKey = "AK1") {
  fs.writeFileSync(path.join(dir, "log"), "");
  const r = spawnSync("sh", ["-c", renderSecretsWriteScript("primary", { secrets: secrets() })], {
    input: renderSecretsDropIn({
      role: "primary",
      token,
      s3AccessKey: accessKey,
      s3SecretKey: "s",
    }),
    encoding: "utf8",
    env: { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` },
  });
  return { ...r, log: fs.readFileSync(path.join(dir, "log"), "utf8") };
}

describe("secret drop-in writer", () => {
  it("writes the drop-in, and rotated S3 keys restart k3s", () => {
    expect(write("tok1").status).toBe(0);
    const rotated = write("tok1", "AK2");
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(fs.readFileSync(secrets(), "utf8")).toContain('etcd-s3-access-key: "AK2"');
    expect(rotated.log).toContain("systemctl restart k3s");
  });

  it("refuses a different cluster token and leaves the old drop-in in place", () => {
    write("tok1");
    const before = fs.readFileSync(secrets(), "utf8");
    const r = write("tok2", "AK2");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to change the k3s cluster token.*k3s token rotate/);
    expect(fs.readFileSync(secrets(), "utf8")).toBe(before);
    expect(fs.existsSync(`${secrets()}.new`)).toBe(false);
    expect(r.log).not.toContain("restart");
  });

  it("accepts the same token written plain by the earlier renderer", () => {
    fs.mkdirSync(path.dirname(secrets()), { recursive: true });
    fs.writeFileSync(secrets(), "token: tok1\netcd-s3-access-key: AK1\netcd-s3-secret-key: s\n");
    const r = write("tok1");
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(secrets(), "utf8")).toContain('token: "tok1"');
  });
});
