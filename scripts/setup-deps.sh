#!/usr/bin/env bash
# Install the system packages qcm builds with (Debian/Ubuntu), or say exactly
# which are missing when we may not install them.
set -euo pipefail

packages=(cmake g++ make ninja-build libgtest-dev libeigen3-dev nlohmann-json3-dev libcli11-dev libomp-dev
          python3-numpy python3-scipy)
if [ "${QCM_WITH_FUZZ:-0}" = 1 ]; then
  packages+=(clang libclang-rt-dev)
fi
if [ "${QCM_WITH_PLOTS:-0}" = 1 ]; then
  packages+=(python3-numpy python3-matplotlib)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "qcm setup: missing packages: ${missing[*]} (no apt-get here; install them with your package manager)" >&2
  exit 1
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo_cmd=(sudo)
  else
    echo "qcm setup: missing packages: ${missing[*]}" >&2
    echo "qcm setup: install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "qcm setup: installing ${missing[*]}" >&2
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
