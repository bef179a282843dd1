/**
 * YAML for k3s's config files. k3s reads them with gopkg.in/yaml.v2 (YAML 1.1 plus Go's
 * strconv.ParseInt with base 0 and "_" removed), so a plain `on`, `no`, `y`, `0600`, `0o17`,
 * `1_000` or `0x1F` would reach k3s as a bool or a number (a cell named `no` would put its
 * snapshots in the S3 folder `false`). Every string is written double-quoted; booleans and
 * numbers stay plain. k3s-io/k3s pkg/configfilearg/parser.go (readConfigFile).
 */
import { stringify } from "yaml";

export function renderK3sYaml(doc: Record<string, unknown>): string {
  // lineWidth 0: one line per value, so a key is found with `grep '^key:'` (scripts.ts).
  return stringify(doc, {
    defaultStringType: "QUOTE_DOUBLE",
    defaultKeyType: "PLAIN",
    lineWidth: 0,
  });
}
