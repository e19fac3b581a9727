#!/usr/bin/env bash
# Builds the Debian packages in BUILD_DIR, lints them, lists them, then installs them for real on this
# machine, runs the installed programs, and purges them, checking that nothing is left.
#   deploy/check-packages.sh BUILD_DIR
# Run as root on a Debian 12 machine where accueil is not installed (CI: .ci/run, after the test
# suite). The machine is left as it was found: the packages, the dependencies their installation pulled
# in, the user accueil and /var/lib/accueil are removed again, also when a check fails.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
packages=(accueil-common accueil-central accueil-kiosk)
units=(accueil-central.service accueil-agent.service accueil-kiosk.service)
failures=0
fail() {
  echo "check-packages: FAILED: $*" >&2
  failures=$((failures + 1))
}
step() { echo; echo "=== $*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "check-packages: installs and purges packages: run as root" >&2
  exit 2
fi
# Never purge someone's real installation or data.
known_to_dpkg() { # installed, half-installed or with its configuration files left
  case "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)" in
    "" | un* | pn*) return 1 ;;
    *) return 0 ;;
  esac
}
installed_packages() {
  dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1 ~ /^i/ {print $2}' | sort
}
for p in "${packages[@]}"; do
  if known_to_dpkg "$p"; then
    echo "check-packages: $p is already installed here; refusing to install and purge it" >&2
    exit 2
  fi
done
if getent passwd accueil >/dev/null || getent group accueil >/dev/null || [ -e /var/lib/accueil ]; then
  echo "check-packages: a user accueil or /var/lib/accueil already exists here; refusing to touch them" >&2
  exit 2
fi

step "Building the packages"
rm -f "$build"/accueil-*.deb
cmake --build "$build" --target package -j2
debs=()
for p in "${packages[@]}"; do
  deb=$(find "$build" -maxdepth 1 -name "${p}_*.deb" | sort | head -n 1)
  if [ -z "$deb" ]; then
    echo "check-packages: $p was not built in $build" >&2
    exit 1
  fi
  debs+=("$deb")
done

step "lintian (errors and warnings fail; overrides are justified in deploy/debian/<package>/lintian-overrides)"
for deb in "${debs[@]}"; do
  echo "--- $(basename "$deb")"
  # Two runs: with --show-overrides, lintian 2.116 counts an overridden warning as a failure.
  if ! lintian --fail-on error,warning --display-info "$deb"; then
    fail "lintian on $(basename "$deb")"
  fi
  lintian --fail-on none --show-overrides "$deb" | grep '^[NO]:' || true
done

step "Contents"
for deb in "${debs[@]}"; do
  echo "--- $(basename "$deb")"
  dpkg-deb -c "$deb"
done

step "Installed sizes (KiB, dpkg-deb -f Installed-Size)"
for deb in "${debs[@]}"; do
  printf '%-20s %8s KiB   (%s KiB as a file)\n' "$(dpkg-deb -f "$deb" Package)" \
    "$(dpkg-deb -f "$deb" Installed-Size)" "$(($(stat -c %s "$deb") / 1024))"
done

step "Installing (apt-get install ./*.deb, with their dependencies)"
before=$(mktemp)
after=$(mktemp)
listing=$(mktemp)
installed_packages >"$before"
cleanup_done=0
cleanup() {
  [ "$cleanup_done" -eq 1 ] && return
  cleanup_done=1
  step "Purging the packages and what their installation pulled in"
  installed_packages >"$after"
  local added
  added=$(comm -13 "$before" "$after" | tr '\n' ' ')
  if [ -n "$added" ]; then
    # shellcheck disable=SC2086 # a list of package names
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $added
  fi
}
trap 'cleanup; rm -f "$before" "$after" "$listing"' EXIT
apt-get update -qq || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${debs[@]}"
for p in "${packages[@]}"; do
  dpkg -L "$p" >>"$listing"
done

step "The installed programs"
for program in accueil accueil-sync accueil-kiosk; do
  if [ "$(command -v "$program")" != "/usr/bin/$program" ]; then
    fail "$program is not /usr/bin/$program"
  fi
  if ! "/usr/bin/$program" --help >/dev/null; then
    fail "/usr/bin/$program --help"
  fi
  # No run path, and nothing from the build or source tree the program would look for.
  if readelf -d "/usr/bin/$program" | grep -E 'RPATH|RUNPATH'; then fail "$program has a run path"; fi
  if strings "/usr/bin/$program" | grep -F "$build"; then fail "$program names the build directory"; fi
  if readelf -S "/usr/bin/$program" | grep -qE '\.symtab|\.debug_info'; then fail "$program is not stripped"; fi
done
echo "--- accueil doctor"
set +e
timeout 120 /usr/bin/accueil doctor
doctor=$?
set -e
echo "(accueil doctor: exit code $doctor)"
if [ "$doctor" -ne 0 ] && [ "$doctor" -ne 1 ]; then
  fail "accueil doctor exited with $doctor (0: all well, 1: a check failed; anything else is a fault)"
fi

step "The user, the state directory, the units"
if getent passwd accueil; then
  [ "$(getent passwd accueil | cut -d: -f7)" = /usr/sbin/nologin ] || fail "accueil has a login shell"
  [ "$(getent passwd accueil | cut -d: -f6)" = /var/lib/accueil ] || fail "accueil's home is not /var/lib/accueil"
  [ "$(id -u accueil)" -lt 1000 ] || fail "accueil is not a system user"
else
  fail "no user accueil"
fi
getent group accueil || fail "no group accueil"
for group in video input render audio; do
  if getent group "$group" >/dev/null && ! id -nG accueil | tr ' ' '\n' | grep -qx "$group"; then
    fail "accueil is not in the group $group"
  fi
done
echo "/var/lib/accueil: $(stat -c '%U:%G %a' /var/lib/accueil 2>/dev/null || echo missing)"
[ "$(stat -c '%U:%G %a' /var/lib/accueil 2>/dev/null)" = "accueil:accueil 750" ] ||
  fail "/var/lib/accueil is not accueil:accueil 0750"
for unit in "${units[@]}"; do
  [ -f "/lib/systemd/system/$unit" ] || fail "/lib/systemd/system/$unit missing"
done
if ! systemd-analyze verify "${units[@]/#//lib/systemd/system/}"; then fail "systemd-analyze verify"; fi
enabled=$(find /etc/systemd/system -name 'accueil-*.service' -type l | sort | tr '\n' ' ')
echo "enabled: $enabled"
for link in multi-user.target.wants/accueil-central.service multi-user.target.wants/accueil-agent.service \
  graphical.target.wants/accueil-kiosk.service; do
  [ -L "/etc/systemd/system/$link" ] || fail "/etc/systemd/system/$link is not there (unit not enabled)"
done
[ -f /etc/default/accueil-kiosk ] || fail "/etc/default/accueil-kiosk missing"

step "Purging"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "${packages[@]}"
cleanup

step "Nothing left behind"
while read -r path; do
  # Directories such as /usr/bin belong to other packages too; files and our own directories do not.
  if [ -e "$path" ] && { [ ! -d "$path" ] || [ -z "$(dpkg -S "$path" 2>/dev/null)" ]; }; then
    case "$path" in
      /. | /etc | /etc/default | /lib | /lib/systemd | /lib/systemd/system | /lib/udev | /lib/udev/rules.d | \
        /usr | /usr/bin | /usr/share | /usr/share/doc | /usr/share/man | /usr/share/man/man1 | \
        /usr/share/lintian | /usr/share/lintian/overrides) ;;
      *) fail "$path is still there" ;;
    esac
  fi
done <"$listing"
[ ! -e /var/lib/accueil ] || fail "/var/lib/accueil is still there"
! getent passwd accueil >/dev/null || fail "the user accueil is still there"
! getent group accueil >/dev/null || fail "the group accueil is still there"
left=$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked \
  -name 'accueil-*' 2>/dev/null || true)
[ -z "$left" ] || fail "unit links or state left: $left"
[ ! -e /etc/default/accueil-kiosk ] || fail "/etc/default/accueil-kiosk is still there"
for p in "${packages[@]}"; do
  if known_to_dpkg "$p"; then fail "$p is still known to dpkg"; fi
done

if [ "$failures" -ne 0 ]; then
  echo "check-packages: $failures check(s) failed" >&2
  exit 1
fi
echo "check-packages: all checks passed"
