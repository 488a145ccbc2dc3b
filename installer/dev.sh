#!/usr/bin/env bash
# Sets up a Debian 12 machine for socklens (installing only what is missing), builds it and
# runs the demo or every test. Run it as root or as a user who may use sudo.
#
#   installer/dev.sh demo   build, then launch the desktop app
#   installer/dev.sh test   build, then run every test (unit, integration, winsock, ui, fuzz),
#                           then the unit and integration tests again under ASan+UBSan
#   installer/dev.sh package  build the .deb, install it, check it, remove it (root; CI)
#   installer/dev.sh deps   only install what is missing
set -euo pipefail

cd "$(dirname "$0")/.."

# clang builds the libFuzzer target; iproute2 gives the benchmark its `ss` baseline; the
# font is what the offscreen platform renders screenshots with; mingw-w64 (its posix thread
# model) builds socklens-helper.exe, which the winsock backend and its tests run under wine;
# dpkg-dev and file let CPack compute the .deb's dependencies, desktop-file-utils and
# appstream validate its desktop integration.
# poppler-utils (pdftotext, pdftoppm) lets the tests read the PDF report back.
# The end-to-end test runs the app on xvfb under openbox, drives it with xdotool, waits for
# the X server with xdpyinfo (x11-utils) and keeps a screenshot of a failure (imagemagick).
packages=(
    cmake ninja-build g++ clang
    libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
    qt6-base-dev qt6-svg-dev libqcustomplot-dev libgl-dev fonts-dejavu-core
    iproute2 poppler-utils
    xvfb xdotool openbox x11-utils imagemagick
    mingw-w64 g++-mingw-w64-x86-64-posix wine wine64
    dpkg-dev file desktop-file-utils appstream
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
    local missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "socklens: installing ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}"
    fi
}

build() {
    cmake --preset "$1" >/dev/null
    cmake --build --preset "$1"
}

case "${1:-}" in
deps)
    install_missing
    ;;
demo)
    install_missing
    build release
    exec build/release/app/socklens
    ;;
test)
    install_missing
    build dev
    ctest --preset dev
    build fuzz
    ctest --preset fuzz
    # Only what the unit and integration tests need is built with sanitizers: the whole
    # suite under ASan would double CI's time (docs/hardening.md).
    cmake --preset asan >/dev/null
    cmake --build --preset asan-engine
    ctest --preset asan-engine
    ;;
package)
    install_missing
    installer/package-check.sh
    ;;
*)
    echo "usage: installer/dev.sh demo|test|package|deps" >&2
    exit 2
    ;;
esac
