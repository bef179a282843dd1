/**
 * Stalwart on the bare host, rendered as text: the install script (pinned release, sha256
 * verified before anything is unpacked), the config, the systemd units and the TLS-reload
 * path unit. Pure so it is tested and shellchecked. Stalwart's own files are AGPL; nothing of
 * theirs is copied here, only documented settings.
 */

export const STALWART_DATA_DIR = "/var/lib/stalwart";
export const STALWART_ETC = "/etc/stalwart";
export const STALWART_TLS_DIR = "/etc/stalwart/tls";
/** Where the in-cluster sync drops the certificate; a root path unit installs it for Stalwart. */
export const STALWART_TLS_INCOMING = "/etc/stalwart/tls-incoming";
/** Management/JMAP over plain HTTP, reached only by Traefik (host firewall keeps it closed). */
export const STALWART_HTTP_PORT = 8080;
export const STALWART_RECOVERY_USER = "admin";

/** The public listeners: name, port, protocol, implicit TLS. */
export const STALWART_LISTENERS = [
  { name: "smtp", port: 25, protocol: "smtp", tls: false },
  { name: "submissions", port: 465, protocol: "smtp", tls: true },
  { name: "submission", port: 587, protocol: "smtp", tls: false },
  { name: "imaptls", port: 993, protocol: "imap", tls: true },
  { name: "sieve", port: 4190, protocol: "managesieve", tls: false },
  { name: "http", port: STALWART_HTTP_PORT, protocol: "http", tls: false },
] as const;

export interface StalwartRenderOptions {
  domain: string;
  version: string;
  sha256: string;
}

export function stalwartHostname(domain: string): string {
  return `mail.${domain}`;
}

export function releaseUrl(version: string): string {
  return `https://github.com/stalwartlabs/stalwart/releases/download/v${version}/stalwart-x86_64-unknown-linux-gnu.tar.gz`;
}

/** Stalwart's config (TOML). Certificates are read from files the TLS sync writes. */
export function stalwartConfig(o: StalwartRenderOptions): string {
  const lines = [
    "# Managed by the Dezky Pulumi program.",
    "[server]",
    `hostname = "${stalwartHostname(o.domain)}"`,
    "",
  ];
  for (const l of STALWART_LISTENERS) {
    lines.push(
      `[server.listener.${l.name}]`,
      `bind = ["[::]:${l.port}"]`,
      `protocol = "${l.protocol}"`,
    );
    if (l.tls) lines.push("tls.implicit = true");
    lines.push("");
  }
  lines.push(
    "[certificate.default]",
    `cert = "%{file:${STALWART_TLS_DIR}/tls.crt}%"`,
    `private-key = "%{file:${STALWART_TLS_DIR}/tls.key}%"`,
    "default = true",
    "",
    "[store.rocksdb]",
    'type = "rocksdb"',
    `path = "${STALWART_DATA_DIR}/data"`,
    'compression = "lz4"',
    "",
    "[storage]",
    'data = "rocksdb"',
    'fts = "rocksdb"',
    'blob = "rocksdb"',
    'lookup = "rocksdb"',
    'directory = "internal"',
    "",
    "[directory.internal]",
    'type = "internal"',
    'store = "rocksdb"',
    "",
  );
  return lines.join("\n");
}

export function stalwartUnit(): string {
  return [
    "[Unit]",
    "Description=Stalwart mail server (managed by Pulumi)",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    "User=stalwart",
    "Group=stalwart",
    // Holds STALWART_RECOVERY_ADMIN; root-owned 0600, read by systemd, not by the service user.
    `EnvironmentFile=${STALWART_ETC}/recovery.env`,
    `ExecStart=/opt/stalwart/bin/stalwart --config ${STALWART_ETC}/config.toml`,
    "Restart=on-failure",
    "RestartSec=5",
    "LimitNOFILE=65536",
    "AmbientCapabilities=CAP_NET_BIND_SERVICE",
    "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
    "NoNewPrivileges=true",
    "ProtectSystem=strict",
    `ReadWritePaths=${STALWART_DATA_DIR}`,
    "ProtectHome=true",
    "PrivateTmp=true",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** Restarts Stalwart when the TLS sync writes a renewed certificate. */
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

function heredoc(path: string, content: string, mode: string): string[] {
  if (content.includes("\nDEZKY_EOF\n"))
    throw new Error(`${path}: content contains the heredoc marker`);
  return [
    `cat > "${path}.new" <<'DEZKY_EOF'`,
    content.replace(/\n$/, ""),
    "DEZKY_EOF",
    `install_file "${path}" ${mode}`,
  ];
}

/**
 * The install/upgrade script, run as root over SSH. Idempotent. Reads the recovery admin line
 * (`STALWART_RECOVERY_ADMIN=admin:<password>`) from stdin so the secret is never in the script.
 */
export function stalwartInstallScript(o: StalwartRenderOptions): string {
  if (!/^\d+\.\d+\.\d+$/.test(o.version))
    throw new Error(`stalwart: "${o.version}" is not an exact version`);
  if (!/^[a-f0-9]{64}$/.test(o.sha256))
    throw new Error("stalwart: sha256 must be 64 hex characters");
  const tls = tlsPathUnits();
  return [
    "#!/usr/bin/env bash",
    "# Installs Stalwart (pinned, checksum verified) as a systemd service. Managed by Pulumi.",
    "set -euo pipefail",
    `VERSION="${o.version}"`,
    `SHA256="${o.sha256}"`,
    `URL="${releaseUrl(o.version)}"`,
    'PREFIX="/opt/stalwart/${VERSION}"',
    "",
    "install_file() {",
    "  # Replace only on change, so an unchanged re-run does not restart anything.",
    '  if ! cmp -s "$1.new" "$1" 2>/dev/null; then mv "$1.new" "$1"; chmod "$2" "$1"; CHANGED=1; else rm -f "$1.new"; fi',
    "}",
    "CHANGED=0",
    "",
    "id stalwart >/dev/null 2>&1 || useradd --system --home-dir /var/lib/stalwart --shell /usr/sbin/nologin stalwart",
    `install -d -m 0750 -o stalwart -g stalwart "${STALWART_DATA_DIR}" "${STALWART_DATA_DIR}/data"`,
    `install -d -m 0755 "${STALWART_ETC}"`,
    `install -d -m 0750 -o root -g stalwart "${STALWART_TLS_DIR}"`,
    `install -d -m 0700 "${STALWART_TLS_INCOMING}"`,
    "",
    'if [ ! -x "${PREFIX}/stalwart" ]; then',
    '  TMP="$(mktemp -d)"',
    "  trap 'rm -rf \"${TMP}\"' EXIT",
    '  curl --fail --silent --show-error --location --proto "=https" --output "${TMP}/stalwart.tar.gz" "${URL}"',
    '  echo "${SHA256}  ${TMP}/stalwart.tar.gz" | sha256sum --check --strict - || { echo "stalwart ${VERSION}: checksum mismatch, refusing to install" >&2; exit 1; }',
    '  install -d -m 0755 "${PREFIX}"',
    '  tar -xzf "${TMP}/stalwart.tar.gz" -C "${PREFIX}"',
    "  CHANGED=1",
    "fi",
    "install -d -m 0755 /opt/stalwart/bin",
    'ln -sfn "${PREFIX}/stalwart" /opt/stalwart/bin/stalwart',
    "",
    "umask 077",
    `cat > "${STALWART_ETC}/recovery.env.new"`,
    `grep -q '^STALWART_RECOVERY_ADMIN=${STALWART_RECOVERY_USER}:' "${STALWART_ETC}/recovery.env.new" || { echo "stdin must carry STALWART_RECOVERY_ADMIN" >&2; exit 1; }`,
    `install_file "${STALWART_ETC}/recovery.env" 0600`,
    "umask 022",
    ...heredoc(`${STALWART_ETC}/config.toml`, stalwartConfig(o), "0644"),
    ...heredoc("/etc/systemd/system/stalwart.service", stalwartUnit(), "0644"),
    ...heredoc("/etc/systemd/system/stalwart-tls.path", tls.path, "0644"),
    ...heredoc("/etc/systemd/system/stalwart-tls.service", tls.service, "0644"),
    "",
    "systemctl daemon-reload",
    "systemctl enable --quiet stalwart.service stalwart-tls.path",
    "systemctl start stalwart-tls.path",
    `if [ -s "${STALWART_TLS_INCOMING}/tls.crt" ]; then systemctl start stalwart-tls.service; fi`,
    'if [ "${CHANGED}" = 1 ]; then systemctl restart stalwart.service; else systemctl start stalwart.service; fi',
    'echo "stalwart ${VERSION} installed"',
    "",
  ].join("\n");
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
