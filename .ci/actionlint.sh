#!/usr/bin/env bash
# Lints .github/workflows with actionlint (it also runs shellcheck on every `run:` block).
# Built from its Go module through the Go module proxy, once, into a cache folder:
# ${DEZKY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dezky}/actionlint-<version>/actionlint.
set -euo pipefail
cd "$(dirname "$0")/.."
ACTIONLINT_VERSION=v1.7.12
cache="${DEZKY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dezky}"
bin="$cache/actionlint-$ACTIONLINT_VERSION"
if [ ! -x "$bin/actionlint" ]; then
  if ! command -v go >/dev/null; then
    if [ -x /usr/local/go/bin/go ]; then PATH="/usr/local/go/bin:$PATH"; else
      echo "go is missing: actionlint is built from source (Debian: apt-get install -y golang-go)" >&2
      exit 1
    fi
  fi
  echo "building actionlint $ACTIONLINT_VERSION with $(go version | cut -d' ' -f3)"
  mkdir -p "$bin"
  GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
"$bin/actionlint" -version | sed -n 1p
"$bin/actionlint" -no-color
echo "actionlint: $(find .github/workflows -name '*.y*ml' | wc -l) workflow files, no findings"
