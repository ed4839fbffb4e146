#!/usr/bin/env bash
# Installs the build-time tools the tests use, where they are missing:
#   kustomize (renders kubernetes/) into target/tools/, from the Go module proxy, pinned;
#   goaws (an SNS/SQS emulator that sends real, signed SubscriptionConfirmation POSTs), likewise;
#   the manifest validator's npm packages (scripts/k8s) and the web tests' (scripts/web), from their lock files;
#   Debian's chromium for the browser test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUSTOMIZE_VERSION="v5.7.1"
GOAWS_VERSION="v0.4.5"
TOOLS="$ROOT/target/tools"
mkdir -p "$TOOLS"

log() { printf '[tools] %s\n' "$*" >&2; }

if [ ! -x "$TOOLS/kustomize" ] || ! "$TOOLS/kustomize" version 2>/dev/null | grep -q "$KUSTOMIZE_VERSION"; then
  log "go install sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  GOBIN="$TOOLS" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi
if [ ! -x "$TOOLS/goaws-$GOAWS_VERSION" ]; then
  log "go install github.com/Admiral-Piett/goaws/app/cmd@$GOAWS_VERSION"
  GOBIN="$TOOLS/goaws-build" GOFLAGS=-mod=mod go install "github.com/Admiral-Piett/goaws/app/cmd@$GOAWS_VERSION"
  mv "$TOOLS/goaws-build/cmd" "$TOOLS/goaws-$GOAWS_VERSION" && rmdir "$TOOLS/goaws-build"
fi
ln -sf "goaws-$GOAWS_VERSION" "$TOOLS/goaws"
if [ ! -d "$ROOT/scripts/k8s/node_modules/kubernetes-models" ] || [ ! -d "$ROOT/scripts/k8s/node_modules/kubernetes-types" ]; then
  log "npm ci (scripts/k8s)"
  (cd "$ROOT/scripts/k8s" && npm ci --no-audit --no-fund --silent)
fi
if [ ! -d "$ROOT/scripts/web/node_modules/playwright-core" ]; then
  log "npm ci (scripts/web)"
  (cd "$ROOT/scripts/web" && npm ci --no-audit --no-fund --silent)
fi
# The browser test drives Debian's Chromium (a browser download by Playwright itself fails here).
if ! command -v chromium >/dev/null; then
  log "apt-get install chromium"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
log "kustomize $("$TOOLS/kustomize" version), goaws $GOAWS_VERSION, manifest validator, web test packages and chromium ready"
