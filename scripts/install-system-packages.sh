#!/usr/bin/env bash
# Debian packages the offline VS Code host needs: chromium renders the workbench for the tests and the
# headless demo; the others build the host's native modules (see test/host/install-host.sh). Installs
# only what is missing, as root or through sudo; otherwise says what to install and fails.
set -euo pipefail

packages=(chromium libkrb5-dev pkg-config libsecret-1-dev)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "Installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >&2
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
