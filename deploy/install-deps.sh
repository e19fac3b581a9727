#!/usr/bin/env bash
# Installs every Debian 12 package accueil needs to build, test and run.
# Idempotent: apt-get skips what is already installed. Run as root (or through sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git clang-format
  libsqlite3-dev libsqlitecpp-dev
  libutf8proc-dev
  libsodium-dev
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libspdlog-dev libfmt-dev libabsl-dev
  libcpp-httplib-dev libssl-dev libmicrohttpd-dev
  libqrencode-dev libzxing-dev libpng-dev libstb-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libimgui-dev libglfw3-dev libgl-dev libv4l-dev libasound2-dev
  catch2 libhowardhinnant-date-dev tzdata
  xvfb xauth libgl1-mesa-dri xdotool
  clang libclang-rt-14-dev
  poppler-utils
  libcups2-dev cups-ipp-utils cups-client dbus
  libespeak-ng-dev espeak-ng-data
  chromium
  locales
  libsystemd-dev
  # Packaging and its checks (deploy/): the kiosk session's compositor, lintian, unit verification.
  cage lintian dpkg-dev systemd
  # The benchmarks time the import against the sqlite3 shell's .import of the same file.
  sqlite3
  # The central store on PostgreSQL (issue 15): libpq to build, and a real server the tests start in a
  # temporary directory (openssl makes its test certificate).
  libpq-dev postgresql openssl
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deploy/install-deps.sh: all ${#packages[@]} packages already installed"
else
  echo "deploy/install-deps.sh: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The programs speak French under a French locale (assets/lang/); Debian generates none by default, and
# terminals, tests and the organisers' laptops need fr_FR.UTF-8 to exist.
if ! locale -a 2>/dev/null | grep -qix 'fr_FR.utf8'; then
  echo "deploy/install-deps.sh: generating the fr_FR.UTF-8 locale"
  $SUDO sed -i 's/^# *\(fr_FR.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -qx 'fr_FR.UTF-8 UTF-8' /etc/locale.gen || echo 'fr_FR.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen >/dev/null
fi
