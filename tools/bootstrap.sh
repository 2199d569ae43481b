#!/bin/bash
# tools/bootstrap.sh — install what is missing (Debian 12) and build valuepack.
#
#   tools/bootstrap.sh [--test] [BUILD_DIR] [meson options...]
#
# Sourced by tests/run and tools/examples; safe to run again (installs only what is
# missing, reuses an existing build directory). Needs root or sudo for apt-get.
set -euo pipefail

# Packages to build and run valuepack (and, with --test, to test it).
VP_BUILD_PACKAGES="gcc meson ninja-build pkg-config libcjson-dev libhpdf-dev libxlsxwriter-dev
  libharfbuzz-dev libfontconfig-dev libunibreak-dev nettle-dev zlib1g-dev libdeflate-dev fonts-wqy-microhei"
VP_TEST_PACKAGES="poppler-utils qpdf python3 python3-openpyxl python3-jsonschema valgrind clang
  libclang-rt-14-dev"

vp_install_missing() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "valuepack: installing ${missing[*]}" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then sudo="sudo"; else
            echo "valuepack: please install as root: apt-get install -y ${missing[*]}" >&2
            return 1
        fi
    fi
    # One 'apt-get update' per machine run is enough; skip it when lists are fresh (< 1 day).
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
        $sudo apt-get update -q >&2
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# vp_build DIR [meson options...]: configure (once) and build.
vp_build() {
    local dir="$1"; shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" >&2
    fi
    ninja -C "$dir" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    cd "$(dirname "$0")/.."
    want_test=0
    if [ "${1:-}" = "--test" ]; then want_test=1; shift; fi
    # shellcheck disable=SC2086
    vp_install_missing $VP_BUILD_PACKAGES
    # shellcheck disable=SC2086
    [ $want_test -eq 1 ] && vp_install_missing $VP_TEST_PACKAGES
    vp_build "${1:-build}" "${@:2}"
fi
