#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what the tests need on a
# fresh Debian machine: Go modules, Debian's chromium (browser tests),
# poppler-utils (PDF tests) and Redocly's CLI from npm (the OpenAPI lint).
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

# The OpenAPI lint (TestOpenAPILintsClean) runs Redocly's CLI, pinned, from
# npm into .cache/redocly; the test fails when it is missing.
REDOCLY_VERSION=2.77.0
if [ "$(.cache/redocly/node_modules/.bin/redocly --version 2>/dev/null | tail -1)" != "$REDOCLY_VERSION" ]; then
  echo "== installing @redocly/cli@$REDOCLY_VERSION for the OpenAPI lint"
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
  npm install --prefix .cache/redocly --no-audit --no-fund --silent "@redocly/cli@$REDOCLY_VERSION"
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
