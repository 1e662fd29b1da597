#!/bin/sh
# Upgrade fixture from an older release: runs that release (git worktree in /tmp), fills it and writes
# test/fixtures/upgrade/<name>.{sql.gz,attachments.tgz,json}. See test/ops/make-upgrade-snapshot.ts.
# Usage: scripts/make-upgrade-snapshot.sh <commit> <name>   (SNAPSHOT_PG_URL: a PostgreSQL pg_dump supports)
set -eu
cd "$(dirname "$0")/.."
exec env TZ=UTC npx tsx test/ops/make-upgrade-snapshot.ts "$@"
