/**
 * The k3s config as k3s reads it at the pinned version (docs/conformance/k3s.md): strings stay
 * strings under k3s's YAML 1.1 reader, schedules k3s cannot parse are refused before anything
 * is written, and the S3 retention survives the 1.34 split of local and S3 retention.
 */
import { describe, expect, it } from "vitest";
import { isScalar, parse, parseDocument, visit } from "yaml";
import dev from "../../stacks/dev";
import { etcdS3, k3sMinor, renderK3sConfig, renderSecretsDropIn } from "./config";
import { checkSnapshotCron } from "./cron";

const base = {
  nodeName: "dev",
  tlsSans: ["192.0.2.10", "2001:12:34:56:1:2:3:4", "k3s.dev.example"],
  cell: "dev",
  version: "v1.33.5+k3s1",
  snapshotSchedule: "0 */6 * * *",
  snapshotRetention: 28,
  s3: etcdS3(dev),
};

/** Every string value is double-quoted, so no YAML 1.1 / Go ParseInt rule can turn it into a bool or number. */
function unquotedStrings(text: string): string[] {
  const found: string[] = [];
  visit(parseDocument(text), {
    Pair(_, pair) {
      const values = isScalar(pair.value) ? [pair.value] : [];
      const seq = pair.value as { items?: unknown[] } | null;
      for (const item of seq?.items ?? []) if (isScalar(item)) values.push(item);
      for (const v of values)
        if (typeof v.value === "string" && v.type !== "QUOTE_DOUBLE") found.push(String(v.value));
    },
  });
  return found;
}

describe("k3s config read as YAML 1.1 (gopkg.in/yaml.v2)", () => {
  it("a cell named like a YAML 1.1 boolean keeps its S3 folder and node label", () => {
    const config = renderK3sConfig({
      role: "primary",
      ...base,
      nodeName: "no",
      cell: "no",
      s3: { ...base.s3, folder: "no" },
    });
    const read = parse(config, { version: "1.1" });
    expect(read["etcd-s3-folder"]).toBe("no");
    expect(read["node-name"]).toBe("no");
    expect(read["node-label"]).toEqual(["dezky.eu/cell=no"]);
    expect(read["tls-san"]).toContain("2001:12:34:56:1:2:3:4"); // base 60 in YAML 1.1
    expect(read["write-kubeconfig-mode"]).toBe("0600"); // octal 384 if plain
    expect(read["cluster-init"]).toBe(true);
    expect(read["etcd-snapshot-retention"]).toBe(28);
    expect(unquotedStrings(config)).toEqual([]);
  });
  it("secrets that look like numbers or booleans stay strings", () => {
    const dropIn = renderSecretsDropIn({
      role: "primary",
      token: "0o17",
      s3AccessKey: "on",
      s3SecretKey: "1_000",
    });
    expect(parse(dropIn, { version: "1.1" })).toEqual({
      token: "0o17",
      "etcd-s3-access-key": "on",
      "etcd-s3-secret-key": "1_000",
    });
    expect(unquotedStrings(dropIn)).toEqual([]);
    const agent = renderK3sConfig({ role: "agent", ...base, serverUrl: "https://192.0.2.10:6443" });
    expect(unquotedStrings(agent)).toEqual([]);
  });
});

describe("etcd-snapshot-schedule-cron", () => {
  it("accepts five-field schedules and robfig descriptors", () => {
    for (const ok of ["0 */6 * * *", "30 2 * * 1-5", "0 0,12 1 */2 ?", "@daily", "@every 6h"])
      expect(() => checkSnapshotCron(ok), ok).not.toThrow();
  });
  it("refuses what robfig/cron would reject (k3s then takes no snapshots, silently)", () => {
    const cases: Array<[string, RegExp]> = [
      ["every 6 hours", /has 3 fields/],
      ["0 */6 * *", /has 4 fields/],
      ["0 24 * * *", /24 in the hour field is outside 0-23/],
      ["0 5-2 * * *", /runs backwards/],
      ["0 */6 * * MON", /"MON" in the day of week field/],
      ["* * * * * *", /has 6 fields/],
    ];
    for (const [bad, why] of cases) {
      expect(() => checkSnapshotCron(bad), bad).toThrow(why);
      expect(() => checkSnapshotCron(bad), bad).toThrow(
        /k3s\.snapshotSchedule .*"0 \*\/6 \* \* \*"/,
      );
    }
  });
  it("renderK3sConfig refuses a bad schedule for servers", () => {
    expect(() => renderK3sConfig({ role: "primary", ...base, snapshotSchedule: "hourly" })).toThrow(
      /snapshotSchedule/,
    );
  });
});

describe("S3 retention across the 1.34 split", () => {
  it("sets etcd-s3-retention to the snapshot retention from 1.34 on, not before", () => {
    const at = (version: string) => parse(renderK3sConfig({ role: "primary", ...base, version }));
    expect(at("v1.33.5+k3s1")["etcd-s3-retention"]).toBeUndefined();
    expect(at("v1.34.1+k3s1")["etcd-s3-retention"]).toBe(28);
    expect(at("v1.35.8+k3s1")["etcd-s3-retention"]).toBe(28);
    expect(k3sMinor("v1.33.5+k3s1")).toBe(33);
    expect(() => k3sMinor("v1.33")).toThrow(/exact release/);
  });
});
