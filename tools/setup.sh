#!/usr/bin/env bash
# Installs everything hark needs to build, test and benchmark, from Debian packages.
# Idempotent: packages already present are left alone. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libxapian-dev xapian-tools
  libtbb-dev libzstd-dev zstd
  librocksdb-dev rocksdb-tools
  libboost-program-options-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libsimdjson-dev libexpat1-dev libgmime-3.0-dev
  libcpp-httplib-dev
  sqlite3 tzdata
  # tools/fuzz.sh: libFuzzer and the sanitizer runtimes, llvm-symbolizer for readable
  # reports, python3 to cut seeds from the real corpora.
  clang libclang-rt-14-dev llvm python3
  # hark report's browser test (tests/report_test.cc): headless Chromium renders the page.
  chromium
)
# Peers for the end-to-end benchmark only (scriptindex lives in xapian-omega).
if [[ "${HARK_SETUP_BENCH:-0}" == "1" ]]; then
  PACKAGES+=(xapian-omega)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
