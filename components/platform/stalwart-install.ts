/**
 * The install/upgrade script for Stalwart on the host, run as root over SSH. Idempotent:
 * - downloads the pinned release, verifies its sha256 and the version the binary reports
 *   before anything is switched; refuses an unpinned checksum before downloading;
 * - writes the 0.16 data-store file, the unit and the TLS path units;
 * - switches the version symlink, restarts, and waits for the readiness probe. If the new
 *   version does not become ready, the symlink goes back to the previous version, which is
 *   restarted, and the script fails, so the next run retries the upgrade (the decision to
 *   restart is "symlink differs from the pinned version, config changed, or not ready",
 *   never "was anything downloaded").
 * The recovery admin line (`STALWART_RECOVERY_ADMIN=admin:<password>`) arrives on stdin, so
 * the secret is never part of the script.
 */
import {
  STALWART_CONFIG,
  STALWART_DATA_DIR,
  STALWART_ETC,
  STALWART_HTTP_PORT,
  STALWART_READY_PATH,
  STALWART_RECOVERY_USER,
  STALWART_SHA256_UNPINNED,
  STALWART_TLS_DIR,
  STALWART_TLS_INCOMING,
  releaseUrl,
  stalwartDataStoreConfig,
  stalwartUnit,
  tlsPathUnits,
  type StalwartRenderOptions,
} from "./stalwart-render";

/** Seconds the new version gets to answer its readiness probe before it is rolled back. */
export const STALWART_START_TIMEOUT_S = 120;

function heredoc(path: string, content: string, mode: string, group?: string): string[] {
  if (content.includes("\nDEZKY_EOF\n"))
    throw new Error(`${path}: content contains the heredoc marker`);
  return [
    `cat > "${path}.new" <<'DEZKY_EOF'`,
    content.replace(/\n$/, ""),
    "DEZKY_EOF",
    `install_file "${path}" ${mode}${group ? ` ${group}` : ""}`,
  ];
}

/** Refuses anything but an exact version and a 64-hex checksum (the pin's shape). */
export function assertPin(o: Pick<StalwartRenderOptions, "version" | "sha256">): void {
  if (!/^\d+\.\d+\.\d+$/.test(o.version))
    throw new Error(`stalwart: "${o.version}" is not an exact version`);
  if (!/^[a-f0-9]{64}$/.test(o.sha256))
    throw new Error("stalwart: sha256 must be 64 hex characters");
}

export function stalwartInstallScript(o: StalwartRenderOptions): string {
  assertPin(o);
  const r = o.root ?? "";
  const tls = tlsPathUnits();
  const systemd = `${r}/etc/systemd/system`;
  return [
    "#!/usr/bin/env bash",
    "# Installs or upgrades Stalwart (pinned, checksum verified) as a systemd service. Managed by Pulumi.",
    "set -euo pipefail",
    `VERSION="${o.version}"`,
    `SHA256="${o.sha256}"`,
    `URL="${releaseUrl(o.version)}"`,
    `ROOT="${r}/opt/stalwart"`,
    'PREFIX="${ROOT}/${VERSION}"',
    'TARGET="${PREFIX}/stalwart"',
    'LINK="${ROOT}/bin/stalwart"',
    `READY_URL="http://127.0.0.1:${STALWART_HTTP_PORT}${STALWART_READY_PATH}"`,
    `START_TIMEOUT=${STALWART_START_TIMEOUT_S}`,
    "",
    `if [ "\${SHA256}" = "${STALWART_SHA256_UNPINNED}" ]; then`,
    '  echo "stalwart ${VERSION}: the release sha256 is not pinned (stacks/versions.ts, versions.stalwart.sha256); refusing to download an unverified binary. See docs/platform.md (Stalwart) for how to obtain it." >&2',
    "  exit 1",
    "fi",
    "",
    "install_file() {",
    "  # Replace only on change, so an unchanged re-run does not restart anything.",
    '  if ! cmp -s "$1.new" "$1" 2>/dev/null; then mv "$1.new" "$1"; chmod "$2" "$1"; CHANGED=1; else rm -f "$1.new"; fi',
    '  if [ -n "${3:-}" ]; then chown "root:$3" "$1"; fi',
    "}",
    "ready() {",
    "  # systemd runs it and Stalwart answers its readiness probe.",
    '  systemctl is-active --quiet stalwart.service && curl --fail --silent --max-time 5 --output /dev/null "${READY_URL}"',
    "}",
    "wait_ready() {",
    "  local waited=0",
    '  while [ "${waited}" -lt "${START_TIMEOUT}" ]; do',
    "    if ready; then return 0; fi",
    "    sleep 2",
    "    waited=$((waited + 2))",
    "  done",
    "  return 1",
    "}",
    "point_link() {",
    "  # Atomic switch: a new symlink renamed over the old one.",
    '  ln -sfn "$1" "${LINK}.new" && mv -T "${LINK}.new" "${LINK}"',
    "}",
    "restart_stalwart() {",
    "  systemctl reset-failed stalwart.service 2>/dev/null || true",
    "  systemctl restart stalwart.service",
    "}",
    "CHANGED=0",
    "",
    "id stalwart >/dev/null 2>&1 || useradd --system --home-dir /var/lib/stalwart --shell /usr/sbin/nologin stalwart",
    `install -d -m 0750 -o stalwart -g stalwart "${r}${STALWART_DATA_DIR}" "${r}${STALWART_DATA_DIR}/data"`,
    `install -d -m 0755 "${r}${STALWART_ETC}" "\${ROOT}" "\${ROOT}/bin" "${systemd}"`,
    `install -d -m 0750 -o root -g stalwart "${r}${STALWART_TLS_DIR}"`,
    `install -d -m 0700 "${r}${STALWART_TLS_INCOMING}"`,
    "",
    'if [ ! -x "${TARGET}" ]; then',
    '  TMP="$(mktemp -d)"',
    "  trap 'rm -rf \"${TMP}\"' EXIT",
    '  curl --fail --silent --show-error --location --proto "=https" --output "${TMP}/stalwart.tar.gz" "${URL}"',
    '  echo "${SHA256}  ${TMP}/stalwart.tar.gz" | sha256sum --check --strict --quiet - || { echo "stalwart ${VERSION}: checksum mismatch, refusing to install" >&2; exit 1; }',
    '  install -d -m 0755 "${TMP}/unpacked"',
    '  tar -xzf "${TMP}/stalwart.tar.gz" -C "${TMP}/unpacked" stalwart',
    '  rm -rf "${PREFIX}.new" && install -d -m 0755 "${PREFIX}.new"',
    '  install -m 0755 "${TMP}/unpacked/stalwart" "${PREFIX}.new/stalwart"',
    '  rm -rf "${PREFIX}" && mv "${PREFIX}.new" "${PREFIX}"',
    "fi",
    "# The binary must run here and be the pinned version (crates/common/src/manager/boot.rs:89-91).",
    'REPORTED="$("${TARGET}" --version 2>&1 || true)"',
    'if [ "${REPORTED}" != "${VERSION}" ]; then',
    '  echo "stalwart ${VERSION}: ${TARGET} reports \\"${REPORTED}\\", refusing to switch to it" >&2',
    "  exit 1",
    "fi",
    "",
    "umask 077",
    `cat > "${r}${STALWART_ETC}/recovery.env.new"`,
    `grep -q '^STALWART_RECOVERY_ADMIN=${STALWART_RECOVERY_USER}:' "${r}${STALWART_ETC}/recovery.env.new" || { echo "stdin must carry STALWART_RECOVERY_ADMIN" >&2; exit 1; }`,
    `install_file "${r}${STALWART_ETC}/recovery.env" 0600`,
    "umask 022",
    ...heredoc(`${r}${STALWART_CONFIG}`, stalwartDataStoreConfig(), "0640", "stalwart"),
    // 0.16 never reads TOML; a config.toml left by an earlier program version only misleads.
    `rm -f "${r}${STALWART_ETC}/config.toml"`,
    ...heredoc(`${systemd}/stalwart.service`, stalwartUnit(o.domain), "0644"),
    ...heredoc(`${systemd}/stalwart-tls.path`, tls.path, "0644"),
    ...heredoc(`${systemd}/stalwart-tls.service`, tls.service, "0644"),
    "",
    "systemctl daemon-reload",
    "systemctl enable --quiet stalwart.service stalwart-tls.path",
    "systemctl start stalwart-tls.path",
    `if [ -s "${r}${STALWART_TLS_INCOMING}/tls.crt" ]; then systemctl start stalwart-tls.service; fi`,
    "",
    'PREVIOUS="$(readlink "${LINK}" 2>/dev/null || true)"',
    'if [ "${PREVIOUS}" != "${TARGET}" ] || [ "${CHANGED}" = 1 ] || ! ready; then',
    '  point_link "${TARGET}"',
    "  restart_stalwart",
    "  if ! wait_ready; then",
    '    echo "stalwart ${VERSION} did not become ready within ${START_TIMEOUT}s" >&2',
    "    journalctl --unit stalwart.service --no-pager --lines 40 >&2 || true",
    '    if [ -n "${PREVIOUS}" ] && [ "${PREVIOUS}" != "${TARGET}" ] && [ -x "${PREVIOUS}" ]; then',
    '      point_link "${PREVIOUS}"',
    "      restart_stalwart",
    "      if wait_ready; then",
    '        echo "rolled back to ${PREVIOUS}; it is running, and the next run retries ${VERSION}" >&2',
    "      else",
    '        echo "rolled back to ${PREVIOUS}, but it did not become ready either" >&2',
    "      fi",
    "    fi",
    "    exit 1",
    "  fi",
    "fi",
    'echo "stalwart ${VERSION} installed and ready"',
    "",
  ].join("\n");
}

/**
 * Restarts Stalwart so that it binds the listener set stored through the API: 0.16 binds
 * listeners only when the process starts (a reload parses them but never binds:
 * crates/common/src/cache/reload.rs:122-126). Run after each listener change, then waits for
 * the readiness probe like the install does.
 */
export function stalwartRestartScript(): string {
  return [
    "#!/usr/bin/env bash",
    "# Restarts Stalwart after a listener change made through its API. Managed by Pulumi.",
    "set -euo pipefail",
    `READY_URL="http://127.0.0.1:${STALWART_HTTP_PORT}${STALWART_READY_PATH}"`,
    "systemctl restart stalwart.service",
    "waited=0",
    `while [ "\${waited}" -lt ${STALWART_START_TIMEOUT_S} ]; do`,
    '  if systemctl is-active --quiet stalwart.service && curl --fail --silent --max-time 5 --output /dev/null "${READY_URL}"; then',
    '    echo "stalwart restarted with its new listeners and ready"',
    "    exit 0",
    "  fi",
    "  sleep 2",
    "  waited=$((waited + 2))",
    "done",
    `echo "stalwart did not become ready within ${STALWART_START_TIMEOUT_S}s after the listener change" >&2`,
    "journalctl --unit stalwart.service --no-pager --lines 40 >&2 || true",
    "exit 1",
    "",
  ].join("\n");
}
