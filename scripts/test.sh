#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what the tests need on a
# fresh Debian machine: Go modules, Debian's chromium (browser tests) and
# poppler-utils (PDF tests).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing Debian's poppler-utils for the PDF tests (pdftotext, pdfinfo)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils >/dev/null
fi

echo "== go mod download"
go mod download

echo "== gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change: $unformatted" >&2
  exit 1
fi
go vet ./...

echo "== go test -race (unit, API, fuzz seeds, crash, tamper, browser)"
go test -race -count=1 -timeout 25m ./...
