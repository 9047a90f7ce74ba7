#!/bin/sh
# Creates (if missing) and updates Temporal's two databases on PostgreSQL to the release's schema.
# The compose file's temporal-schema job runs it in the admin-tools image; `npm run cluster` runs it here
# with the same tool, built from the same release. Safe to run again: an up-to-date schema is left as it is.
# The tool reads SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER and SQL_PASSWORD from the environment.
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
schema="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
for pair in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  kind="${pair#*:}"
  "$tool" --db "$db" create 2>/dev/null || true
  # setup-schema -v 0.0 creates only the version table, and refuses once it exists; update-schema then
  # applies every versioned step above the recorded version.
  "$tool" --db "$db" setup-schema -v 0.0 2>/dev/null || true
  "$tool" --db "$db" update-schema -d "$schema/$kind/versioned"
done
