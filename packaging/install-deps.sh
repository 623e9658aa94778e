#!/usr/bin/env bash
# Installs the Debian 12 packages FuelSync Admin needs to build, to run its tests and to run the
# app. Does nothing when they are all present. Uses sudo when not run as root.
set -euo pipefail

packages=(
    # build
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev libpq-dev
    # Qt's PostgreSQL driver
    libqt6sql6-psql
    # the desktop app: the OS keychain for remembered passwords, the SVG icon and diagram export,
    # the station charts (Qt Charts needs Qt's OpenGL widgets to build against), a font to draw with
    qtkeychain-qt6-dev libqt6svg6 qt6-svg-dev qt6-charts-dev libqt6opengl6-dev fonts-dejavu-core
    # the tests' throwaway cluster, the sandbox, and the baselines of the benchmarks (psql)
    postgresql-15 postgresql-client-15
    # running the desktop app without a display (tests, screenshots)
    xvfb xauth
    # the checks CI runs beside the tests: clang-tidy (scripts/run-clang-tidy); the sanitizer
    # presets need nothing more than g++
    clang-tidy
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages are installed."
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
