#!/usr/bin/env bash
# The engine step (issue 20), called by .ci/run after `npm ci`: builds the Pulumi CLI and this
# repository's Node.js language host from the Go module proxy into tools/bin (skipped when
# tools/bin already matches the pinned sources; Go's module and build caches make a rebuild
# on the same machine take about a minute), then runs the engine suite against the
# simulators on loopback (docs/engine-tests.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1; then
  echo "engine step: the go command (Go 1.26) is required to build the Pulumi CLI" >&2
  exit 1
fi

echo "== tools: Pulumi CLI and language host ($(go version))"
(cd tools && go test ./langhost)
npm run --silent tools:build

echo "== engine tests (the real Pulumi engine on the tenant layer)"
npm run --silent test:engine
