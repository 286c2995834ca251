#!/usr/bin/env bash
# The dashboard's production build (`npm run build` in 6_octopus), skipped when no source file
# is newer than the last build. FORCE_BUILD=1 rebuilds anyway (the browser tests do, so the
# bundle they inspect was built with their own ADMIN_TOKEN in the environment).
# Exits non-zero when npm or the installed packages are missing, or the build fails.
set -euo pipefail
cd "$(dirname "$0")/../6_octopus"

if ! command -v npm >/dev/null 2>&1; then
  echo "build-dashboard: npm is not installed (Node >= 20.9 is needed for 6_octopus)." >&2
  exit 1
fi
if [ ! -x node_modules/.bin/next ]; then
  echo "build-dashboard: 6_octopus/node_modules is missing: run \`make setup\` (npm ci)." >&2
  exit 1
fi

stamp=.next/BUILD_ID
if [ "${FORCE_BUILD:-0}" != 1 ] && [ -f "$stamp" ]; then
  # Anything but installed packages, build output, tests and docs counts as a source.
  newer=$(find . \( -path ./node_modules -o -path ./.next -o -path ./e2e -o -path ./test \
    -o -path ./test-results -o -path ./playwright-report \) -prune -o -type f \
    ! -name '*.md' ! -name 'playwright.config.ts' ! -name 'vitest.config.*' \
    -newer "$stamp" -print -quit)
  if [ -z "$newer" ]; then
    echo "build-dashboard: .next is up to date, build skipped."
    exit 0
  fi
fi
echo "build-dashboard: npm run build ..."
NEXT_TELEMETRY_DISABLED=1 npm run build
