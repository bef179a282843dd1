/**
 * Every systemd unit the program writes to a host, checked by the real systemd of the hosts'
 * release (`systemd-analyze verify`, systemd 252 on Debian 12): an unknown key, a misspelt
 * section, a bad calendar spec or an executable the host will not have are warnings systemd
 * logs while it starts the unit without them, so they fail here.
 */
import { describe, expect, it } from "vitest";
import { stalwartUnit, tlsPathUnits } from "../../components/platform/stalwart-render";
import { renderHostUnits } from "../../components/storage/backup-jobs";
import { BACKUP_LIB_DIR } from "../../components/storage/restic-scripts";
import { NFTABLES_DROP_IN, NFTABLES_DROP_IN_PATH } from "../../components/host/host-scripts";
import { executablesOf, verifyUnits, type UnitFile } from "../support/systemd-verify";

const UNIT_DIR = "/etc/systemd/system";
/** Installed by our own scripts (stalwart-install.ts, backup-install.ts). */
const OUR_EXECUTABLES = ["/opt/stalwart/bin/stalwart", `${BACKUP_LIB_DIR}/run-job`];

function stalwartUnits(): UnitFile[] {
  const tls = tlsPathUnits();
  return [
    { hostPath: `${UNIT_DIR}/stalwart.service`, content: stalwartUnit("dezky.eu") },
    { hostPath: `${UNIT_DIR}/stalwart-tls.path`, content: tls.path },
    { hostPath: `${UNIT_DIR}/stalwart-tls.service`, content: tls.service },
  ];
}

function backupUnits(): UnitFile[] {
  return renderHostUnits("*-*-* 02:30:00", "prod").map((u) => ({
    hostPath: `${UNIT_DIR}/${u.name}`,
    content: u.content,
  }));
}

describe("systemd units (systemd-analyze verify)", () => {
  it("Stalwart's service and its certificate path units", () => {
    const result = verifyUnits(stalwartUnits(), { installedExecutables: OUR_EXECUTABLES });
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  it("the backup, DR copy, check and etcd snapshot services and timers", () => {
    const units = backupUnits();
    expect(units.length).toBe(12);
    const result = verifyUnits(units, { installedExecutables: OUR_EXECUTABLES });
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  it("the nftables drop-in, through the Debian unit it changes", () => {
    const result = verifyUnits(
      // With the unit as this machine's nftables package installs it (Debian 12, as on the host).
      [{ hostPath: NFTABLES_DROP_IN_PATH, content: NFTABLES_DROP_IN }],
      { verifyUnits: ["nftables.service"] },
    );
    expect(result.output).toBe("");
    expect(result.ok).toBe(true);
  });

  it("fails on what systemd would only warn about: unknown keys, a bad calendar, a missing binary", () => {
    const [service] = stalwartUnits();
    const unknownKey = verifyUnits(
      [{ ...service, content: service.content.replace("LimitNOFILE", "LimitNOFILES") }],
      { installedExecutables: OUR_EXECUTABLES },
    );
    expect(unknownKey.ok).toBe(false);
    expect(unknownKey.output).toMatch(/Unknown key 'LimitNOFILES'/);

    const timers = backupUnits();
    const badCalendar = verifyUnits(
      timers.map((u) =>
        u.hostPath.endsWith(".timer")
          ? { ...u, content: u.content.replace(/OnCalendar=.*/, "OnCalendar=*-*-* 25:00:00") }
          : u,
      ),
      { installedExecutables: OUR_EXECUTABLES },
    );
    expect(badCalendar.ok).toBe(false);
    expect(badCalendar.output).toMatch(/OnCalendar|calendar/i);

    const badDropIn = verifyUnits(
      [{ hostPath: NFTABLES_DROP_IN_PATH, content: `${NFTABLES_DROP_IN}ExecStopp=\n` }],
      { verifyUnits: ["nftables.service"] },
    );
    expect(badDropIn.ok).toBe(false);
    expect(badDropIn.output).toMatch(/50-dezky\.conf.*Unknown key 'ExecStopp'/);

    const notInstalled = verifyUnits(stalwartUnits(), { installedExecutables: [] });
    expect(notInstalled.ok).toBe(false);
    expect(notInstalled.output).toMatch(/\/opt\/stalwart\/bin\/stalwart is not executable/);
  });

  it("reads the executables of Exec lines, prefixes included", () => {
    expect(
      executablesOf("ExecStart=-/usr/bin/a x\nExecStop=\nExecStartPre=!/bin/b\nUser=x"),
    ).toEqual(["/usr/bin/a", "/bin/b"]);
  });
});
