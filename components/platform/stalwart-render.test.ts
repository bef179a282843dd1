import { describe, expect, it } from "vitest";
import {
  STALWART_CONFIG,
  stalwartDataStoreConfig,
  stalwartHostname,
  stalwartUnit,
  tlsPathUnits,
} from "./stalwart-render";

describe("Stalwart 0.16 host files", () => {
  it("the --config file is a JSON DataStore (serde tag @type), not TOML", () => {
    const config = JSON.parse(stalwartDataStoreConfig());
    expect(config).toEqual({ "@type": "RocksDb", path: "/var/lib/stalwart/data" });
    expect(STALWART_CONFIG).toBe("/etc/stalwart/config.json");
  });

  it("the unit starts from the data-store file, never in bootstrap mode, with the mail hostname", () => {
    const unit = stalwartUnit("dezky.eu");
    expect(unit).toContain(`ExecStart=/opt/stalwart/bin/stalwart --config=${STALWART_CONFIG}`);
    expect(unit).toContain(`ConditionPathExists=${STALWART_CONFIG}`);
    expect(unit).toContain(`Environment=STALWART_HOSTNAME=${stalwartHostname("dezky.eu")}`);
    expect(unit).toContain("EnvironmentFile=/etc/stalwart/recovery.env");
  });

  it("runs unprivileged with only the bind capability and the paths 0.16 writes", () => {
    const unit = stalwartUnit("dezky.eu");
    expect(unit).toContain("User=stalwart");
    expect(unit).toContain("AmbientCapabilities=CAP_NET_BIND_SERVICE");
    expect(unit).toContain("ReadWritePaths=/var/lib/stalwart");
    expect(unit).toContain("LogsDirectory=stalwart");
    expect(unit).toContain("ProtectSystem=strict");
  });

  it("reinstalls a renewed certificate for the File-variant x:Certificate and restarts", () => {
    const { path, service } = tlsPathUnits();
    expect(path).toContain("PathChanged=/etc/stalwart/tls-incoming/tls.crt");
    expect(service).toContain("/etc/stalwart/tls/tls.crt");
    expect(service).toContain("try-restart stalwart.service");
  });
});
