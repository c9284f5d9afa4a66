#!/usr/bin/env bash
# Installs code-server (VS Code served to a browser) for the end-to-end tests without any download except the npm
# registry: GitHub-hosted prebuilt binaries (ripgrep, native addons) are replaced by Debian packages and local builds.
# Idempotent: a finished install is marked and reused. Prints the install folder as its last line.
# Needs (Debian): build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${ATTENTION_LENS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/attention-lens-e2e}"
DEST="$CACHE_ROOT/code-server-$VERSION"
MARKER="$DEST/.attention-lens-install-complete"

log() { echo "[install-code-server] $*" >&2; }
fail() { echo "[install-code-server] ERROR: $*" >&2; exit 1; }

if [[ -f "$MARKER" && -f "$DEST/out/node/entry.js" ]]; then
  log "reusing $DEST"
  echo "$DEST"
  exit 0
fi

for tool in node npm npx make g++ python3 pkg-config; do
  command -v "$tool" >/dev/null || fail "'$tool' is not on PATH (apt-get install -y build-essential python3 pkg-config nodejs npm)"
done
RG="$(command -v rg || true)"
[[ -n "$RG" ]] || fail "ripgrep is missing (apt-get install -y ripgrep); VS Code's search needs it and its installer would download from GitHub"
for lib in krb5-gssapi x11 xkbfile libsecret-1; do
  pkg-config --exists "$lib" || fail "development files for '$lib' are missing (apt-get install -y libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)"
done
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$NODE_MAJOR" == "20" || "$NODE_MAJOR" == "22" ]] || log "warning: code-server $VERSION is built for Node 20; found $(node --version)"

# node-gyp would download Node's headers from nodejs.org; use the ones installed next to node instead.
NODE_PREFIX="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
if [[ -z "${npm_config_nodedir:-}" && -f "$NODE_PREFIX/include/node/node.h" ]]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi
[[ -n "${npm_config_nodedir:-}" || -n "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ]] \
  || fail "Node's C headers are missing ($NODE_PREFIX/include/node/node.h); install them (Debian: the nodejs/libnode-dev package)"

started=$(date +%s)
mkdir -p "$CACHE_ROOT"
WORK="$(mktemp -d "$CACHE_ROOT/.install-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log "fetching code-server@$VERSION from the npm registry"
(cd "$WORK" && npm pack --silent "code-server@$VERSION" >/dev/null)
tar -xzf "$WORK"/code-server-"$VERSION".tgz -C "$WORK"
ROOT="$WORK/package"
[[ -f "$ROOT/out/node/entry.js" ]] || fail "code-server@$VERSION tarball has no out/node/entry.js"

log "installing code-server's own dependencies"
(cd "$ROOT" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
(cd "$ROOT" && npm rebuild argon2 --loglevel=error)

log "installing VS Code's server dependencies (lib/vscode)"
VS="$ROOT/lib/vscode"
(cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$RG" "$VS/node_modules/@vscode/ripgrep/bin/rg"
log "building VS Code's native addons"
(cd "$VS" && npm rebuild @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog --loglevel=error)
(cd "$VS/node_modules/node-pty" && npx --yes node-gyp rebuild >"$WORK/node-pty.log" 2>&1) \
  || { tail -40 "$WORK/node-pty.log" >&2; fail "building node-pty failed (log above)"; }
ln -sfn node_modules "$VS/node_modules.asar"
log "installing the built-in extensions' dependencies"
(cd "$VS/extensions" && npm install --omit=dev --no-audit --no-fund --loglevel=error >"$WORK/extensions.log" 2>&1) \
  || { tail -40 "$WORK/extensions.log" >&2; fail "installing the built-in extensions' dependencies failed (log above)"; }

# Prove the native addons load before declaring the install complete.
(cd "$VS" && node -e "for (const m of ['@parcel/watcher','@vscode/spdlog','node-pty','native-watchdog']) require(m)") \
  || fail "a native addon of VS Code failed to load after the build"
(cd "$ROOT" && node -e "require('argon2')") || fail "argon2 failed to load after the build"

rm -rf "$DEST"
mv "$ROOT" "$DEST"
touch "$MARKER"
log "installed into $DEST in $(( $(date +%s) - started )) s"
echo "$DEST"
