# shellcheck shell=bash
# Source me: puts the Node major of .nvmrc on PATH. Keeps the machine's node when its major
# matches; otherwise installs the exact .nvmrc version from the npm registry (package
# node-linux-<arch>, the binary package the `node` package installs) into a cache folder,
# once: ${DEZKY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dezky}/node-<version>. No other download.
#   source .ci/node.sh      (then npm ci, npm test, ...)
dezky_node_setup() {
  local root want major have arch cache dir bin tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  want="$(tr -d ' v\r\n' <"$root/.nvmrc")"
  major="${want%%.*}"
  have="$(node -p 'process.versions.node' 2>/dev/null || true)"
  if [ "${have%%.*}" = "$major" ]; then
    echo "node v$have (machine)"
    return 0
  fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) arch="linux-x64" ;;
    Linux-aarch64 | Linux-arm64) arch="linux-arm64" ;;
    Darwin-arm64) arch="darwin-arm64" ;;
    Darwin-x86_64) arch="darwin-x64" ;;
    *)
      echo "no Node $major package for $(uname -s)-$(uname -m); install Node $want by hand" >&2
      return 1
      ;;
  esac
  cache="${DEZKY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dezky}"
  dir="$cache/node-$want-$arch"
  bin="$dir/node_modules/node-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    if ! command -v npm >/dev/null; then
      echo "npm is missing: install Node and npm first (Debian: apt-get install -y nodejs npm)" >&2
      return 1
    fi
    echo "installing node v$want (npm package node-$arch) into $dir"
    mkdir -p "$cache"
    tmp="$(mktemp -d "$cache/.node-XXXXXX")"
    chmod 755 "$tmp" # mktemp makes it private; other users may share this node
    if ! npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node-$arch@$want" >&2; then
      rm -rf "$tmp"
      echo "could not install node-$arch@$want from the npm registry" >&2
      return 1
    fi
    rm -rf "$dir"
    mv "$tmp" "$dir"
  fi
  if [ "$("$bin/node" --version)" != "v$want" ]; then
    echo "$bin/node is not v$want; remove $dir and try again" >&2
    return 1
  fi
  export PATH="$bin:$PATH"
  hash -r
  echo "node $(node --version) ($bin)"
}
dezky_node_setup
