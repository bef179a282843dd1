#!/usr/bin/env bash
# Runs a command under the Node major of .nvmrc: `npm test` on a machine whose node is older
# (a fresh Debian image has Node 20) gets Node 24 from the npm registry first, through
# .ci/node.sh (cached in ~/.cache/dezky; nothing else is downloaded).
#   bash .ci/with-node.sh vitest run
set -euo pipefail
# shellcheck source=.ci/node.sh
source "$(dirname "${BASH_SOURCE[0]}")/node.sh" >&2
exec "$@"
