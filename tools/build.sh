#!/usr/bin/env bash
# Builds the Pulumi CLI pinned in tools/go.mod and this repository's own Node.js language host
# (tools/langhost) into tools/bin with the ordinary go command, plus the dynamic-provider
# launcher. Skips the build when tools/bin already holds exactly these sources built by this Go
# (the stamp below); Go's module and build caches make a rebuild after a change quick.
set -euo pipefail
cd "$(dirname "$0")"

export GOFLAGS="${GOFLAGS:--buildvcs=false}"
pkg=github.com/pulumi/pulumi/pkg/v3
version=$(go list -m -f '{{.Version}}' "$pkg")
stamp=$(
  {
    go version
    cat go.mod go.sum build.sh langhost/*.go launchers/*
  } | sha256sum | cut -d' ' -f1
)

if [ -x bin/pulumi ] && [ -x bin/pulumi-language-nodejs ] &&
  [ -x bin/pulumi-resource-pulumi-nodejs ] && [ "$(cat bin/.stamp 2>/dev/null)" = "$stamp" ]; then
  echo "tools/bin is up to date (Pulumi CLI $version)"
  exit 0
fi

mkdir -p bin
start=$SECONDS
echo "building the Pulumi CLI $version from the Go module proxy (a first build takes minutes)"
go build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
  -o bin/pulumi "$pkg/cmd/pulumi"
go build -o bin/pulumi-language-nodejs ./langhost
install -m 0755 launchers/pulumi-resource-pulumi-nodejs bin/pulumi-resource-pulumi-nodejs
echo "$stamp" >bin/.stamp
echo "built tools/bin in $((SECONDS - start)) s: $(bin/pulumi version)"
