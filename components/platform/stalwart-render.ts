/**
 * Stalwart 0.16 on the bare host, rendered as text: the data-store file passed to `--config`,
 * the systemd units and the TLS-reload path unit; and, as data, what the cell exposes (the
 * listener set and the services DNS advertises). Pure so it is tested and shellchecked.
 * Stalwart's own files are AGPL; nothing of theirs is copied here, only the documented
 * contract (upstream: stalwartlabs/stalwart@v0.16.18, cited per line; see
 * docs/conformance/stalwart.md).
 */
import type { stalwart } from "@dezky/providers";

type ListenerSpec = stalwart.ListenerSpec;
type ServiceSpec = stalwart.ServiceSpec;

export const STALWART_DATA_DIR = "/var/lib/stalwart";
export const STALWART_ETC = "/etc/stalwart";
/** 0.16 reads one small JSON file describing only the data store (UPGRADING/v0_16.md). */
export const STALWART_CONFIG = `${STALWART_ETC}/config.json`;
export const STALWART_TLS_DIR = "/etc/stalwart/tls";
/** Where the in-cluster sync drops the certificate; a root path unit installs it for Stalwart. */
export const STALWART_TLS_INCOMING = "/etc/stalwart/tls-incoming";
/**
 * Management/JMAP over plain HTTP, reached only by Traefik (host firewall keeps it closed).
 * 0.16 creates this listener itself on first start (`http`, [::]:8080, not implicit TLS:
 * crates/common/src/manager/defaults.rs:465-489; plain when not implicit:
 * crates/common/src/network/listen.rs:46).
 */
export const STALWART_HTTP_PORT = 8080;
/** The readiness probe 0.16 serves (crates/http/src/request.rs:525-545). */
export const STALWART_READY_PATH = "/healthz/ready";
export const STALWART_RECOVERY_USER = "admin";
/** The tenant provisioning account's local part (on the platform domain). */
export const STALWART_PROVISIONER = "dezky-provisioner";

/**
 * The listeners Stalwart keeps, and nothing else (the ServerSettings resource removes the
 * rest): the mail ports the host firewall opens, plus the management HTTP port that Traefik
 * reaches. 0.16's first start also creates `https` 443 (Traefik owns 443 on the host) and
 * `pop3s` 995 (closed in the firewall, not offered), and no longer creates `submission` 587
 * (common/src/manager/defaults.rs:459-490, UPGRADING/v0_16.md). 587 is kept for clients that
 * only speak STARTTLS: the default auth rules require AUTH on any port but 25 and offer
 * PLAIN/LOGIN only after TLS (x:MtaStageAuth defaults `require` and `saslMechanisms`,
 * crates/registry/src/schema/structs_impl.rs:28092-28135). `useTls` without `tlsImplicit` is
 * STARTTLS, and plain HTTP for the http
 * listener (crates/common/src/network/listen.rs:46).
 */
export const STALWART_LISTENERS: ListenerSpec[] = [
  { name: "smtp", bind: "[::]:25", protocol: "smtp", useTls: true, tlsImplicit: false },
  { name: "submissions", bind: "[::]:465", protocol: "smtp", useTls: true, tlsImplicit: true },
  { name: "submission", bind: "[::]:587", protocol: "smtp", useTls: true, tlsImplicit: false },
  { name: "imaps", bind: "[::]:993", protocol: "imap", useTls: true, tlsImplicit: true },
  {
    name: "sieve",
    bind: "[::]:4190",
    protocol: "manageSieve",
    useTls: true,
    tlsImplicit: false,
  },
  {
    name: "http",
    bind: `[::]:${STALWART_HTTP_PORT}`,
    protocol: "http",
    useTls: true,
    tlsImplicit: false,
  },
];

/**
 * The services SystemSettings advertises (SRV and client setup, crates/common/src/network/dns/
 * records.rs:162-208): everything but POP3, which the cell does not serve. Without cleartext:
 * only the TLS ports get SRV records (_imaps 993, _submissions 465); JMAP, CalDAV and CardDAV
 * point at the default hostname on 443, which Traefik serves for mail.<domain>.
 */
export const STALWART_SERVICES: Record<string, ServiceSpec> = Object.fromEntries(
  ["caldav", "carddav", "imap", "jmap", "managesieve", "smtp", "webdav"].map((s) => [
    s,
    { cleartext: false },
  ]),
);
/**
 * Sentinel for "the release sha256 is not pinned yet". It satisfies the stack schema's
 * 64-hex rule so previews render, and the install script refuses it before downloading.
 */
export const STALWART_SHA256_UNPINNED = "0".repeat(64);

export interface StalwartRenderOptions {
  domain: string;
  version: string;
  sha256: string;
  /**
   * Filesystem root the script works under; "" on the host. Tests run the rendered script
   * against a temporary directory with stub binaries.
   */
  root?: string;
}

export function stalwartHostname(domain: string): string {
  return `mail.${domain}`;
}

export function releaseUrl(version: string): string {
  return `https://github.com/stalwartlabs/stalwart/releases/download/v${version}/stalwart-x86_64-unknown-linux-gnu.tar.gz`;
}

/**
 * The file named by `--config`: a serialized `DataStore` (serde tag "@type", camelCase
 * fields: crates/registry/src/schema/structs.rs `enum DataStore` / `struct RocksDbStore`),
 * read with `serde_json::from_str::<DataStore>` (crates/store/src/registry/local.rs:71-88).
 * Its presence keeps the server out of bootstrap mode: only a missing file selects the
 * ephemeral bootstrap store (local.rs:81, crates/store/src/build/registry.rs:35-69).
 */
export function stalwartDataStoreConfig(): string {
  return `${JSON.stringify({ "@type": "RocksDb", path: `${STALWART_DATA_DIR}/data` }, null, 2)}\n`;
}

export function stalwartUnit(domain: string): string {
  return [
    "[Unit]",
    "Description=Stalwart mail server (managed by Pulumi)",
    "Wants=network-online.target",
    "After=network-online.target",
    // Without the data-store file 0.16 would start in bootstrap mode on an ephemeral store.
    `ConditionPathExists=${STALWART_CONFIG}`,
    "",
    "[Service]",
    "Type=simple",
    "User=stalwart",
    "Group=stalwart",
    // The default hostname until SystemSettings.defaultHostname is stored
    // (crates/store/src/registry/local.rs:20-31, crates/common/src/config/network.rs:199-203):
    // MX/SRV/autoconfig targets in every domain's dnsZoneFile name this host from the start.
    `Environment=STALWART_HOSTNAME=${stalwartHostname(domain)}`,
    // Holds STALWART_RECOVERY_ADMIN; root-owned 0600, read by systemd, not by the service user.
    `EnvironmentFile=${STALWART_ETC}/recovery.env`,
    `ExecStart=/opt/stalwart/bin/stalwart --config=${STALWART_CONFIG}`,
    "Restart=on-failure",
    "RestartSec=5",
    "LimitNOFILE=65536",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
    "NoNewPrivileges=true",
    "ProtectSystem=strict",
    `ReadWritePaths=${STALWART_DATA_DIR}`,
    // The default log tracer writes /var/log/stalwart (crates/common/src/manager/defaults.rs:523-537).
    "LogsDirectory=stalwart",
    "ProtectHome=true",
    // The web UI bundle unpacks below the temp dir (crates/common/src/manager/application.rs:157-162).
    "PrivateTmp=true",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/**
 * Restarts Stalwart when the TLS sync writes a renewed certificate. The x:Certificate object
 * reads the files by path (File variant), and a restart re-reads them.
 */
export function tlsPathUnits(): { path: string; service: string } {
  return {
    path: [
      "[Unit]",
      "Description=Reload Stalwart on certificate renewal",
      "",
      "[Path]",
      `PathChanged=${STALWART_TLS_INCOMING}/tls.crt`,
      "",
      "[Install]",
      "WantedBy=multi-user.target",
      "",
    ].join("\n"),
    service: [
      "[Unit]",
      "Description=Restart Stalwart for a new certificate",
      "",
      "[Service]",
      "Type=oneshot",
      `ExecStart=/usr/bin/install -m 0640 -o root -g stalwart ${STALWART_TLS_INCOMING}/tls.key ${STALWART_TLS_DIR}/tls.key`,
      `ExecStart=/usr/bin/install -m 0644 -o root -g stalwart ${STALWART_TLS_INCOMING}/tls.crt ${STALWART_TLS_DIR}/tls.crt`,
      "ExecStart=/bin/systemctl try-restart stalwart.service",
      "",
    ].join("\n"),
  };
}

/** The CronJob's copy step: wildcard certificate Secret -> host TLS dir (only on change). */
export function tlsSyncScript(): string {
  return [
    "set -eu",
    "for f in tls.key tls.crt; do",
    '  if ! cmp -s "/secret/${f}" "/host-tls/${f}"; then',
    '    cp "/secret/${f}" "/host-tls/${f}.new"',
    '    chmod 0600 "/host-tls/${f}.new"',
    '    mv "/host-tls/${f}.new" "/host-tls/${f}"',
    "  fi",
    "done",
  ].join("\n");
}
