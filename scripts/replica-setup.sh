#!/usr/bin/env bash
# A PostgreSQL streaming replica of the main cluster (127.0.0.1:5432) on 127.0.0.1:5433, for the
# read-replica tests (test/store/replica.pg.test.ts). Idempotent: run it as often as you like.
# Needs root (it edits the main cluster's pg_hba.conf and creates a cluster) and Debian's
# postgresql-common (pg_createcluster, pg_ctlcluster).
# Exit status: 1 only when the main cluster is down or broke; a replica that cannot start is
# reported on stderr and the replica tests then say they are skipped and why.
set -uo pipefail

PRIMARY_PORT=5432
REPLICA_PORT=5433
REPLICA=replica
HBA_LINE="host replication all 127.0.0.1/32 trust"
# The primary keeps the WAL the replica has not received yet in this slot (without one, a replica
# stopped or paused for a while finds the segments it needs removed and never catches up), but
# never more than SLOT_WAL_CAP: past that the slot is lost, and the next run makes a new replica.
SLOT=longtail_replica
SLOT_WAL_CAP=10GB

primary_up() { pg_isready -h 127.0.0.1 -p "$PRIMARY_PORT" -q; }
replica_up() { pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; }
as_postgres() { runuser -u postgres -- "$@"; }
cannot_replicate() {
  echo "replica-setup: no replica on port $REPLICA_PORT: $*" >&2
  exit 0
}

if ! primary_up; then
  echo "replica-setup: the main cluster on 127.0.0.1:$PRIMARY_PORT is not running" >&2
  exit 1
fi
command -v pg_createcluster >/dev/null || cannot_replicate "pg_createcluster is not installed"
[ "$(id -u)" = 0 ] || cannot_replicate "run as root (it edits pg_hba.conf and creates a cluster)"

version="$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SHOW server_version_num" | cut -c1-2)"
hba="$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SHOW hba_file")"

# 1. The main cluster accepts replication connections from loopback (a reload, never a restart).
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  [ -e "$hba.before-replica" ] || cp -p "$hba" "$hba.before-replica"
  echo "$HBA_LINE" >>"$hba"
  if [ "$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL")" != 0 ]; then
    cp -p "$hba.before-replica" "$hba"
    cannot_replicate "pg_hba.conf rejected the replication line; restored from $hba.before-replica"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main reload
fi
if ! primary_up; then
  echo "replica-setup: the main cluster stopped answering after the reload" >&2
  exit 1
fi
[ "$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SHOW wal_level")" != minimal ] ||
  cannot_replicate "the main cluster has wal_level=minimal (needs replica)"

if [ "$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SHOW max_slot_wal_keep_size")" = -1 ]; then
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qc "ALTER SYSTEM SET max_slot_wal_keep_size = '$SLOT_WAL_CAP'" &&
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc "SELECT pg_reload_conf()" >/dev/null ||
    cannot_replicate "could not cap the WAL a replication slot keeps (max_slot_wal_keep_size)"
fi

# 2. The replica cluster: created once, its data directory a base backup of the main one (made
#    again when it is missing, half-made, a copy of a main cluster that was since re-created, or
#    streams through no slot or a lost one).
data="/var/lib/postgresql/$version/$REPLICA"
primary_id="$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc "SELECT system_identifier FROM pg_control_system()")"
replica_id="$("/usr/lib/postgresql/$version/bin/pg_controldata" "$data" 2>/dev/null |
  awk -F': *' '/Database system identifier/ { print $2 }')"
slot_state="$(psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atc \
  "SELECT coalesce(wal_status, 'reserved') FROM pg_replication_slots WHERE slot_name = '$SLOT'")"
if ! [ -e "$data/standby.signal" ] || [ "$primary_id" != "$replica_id" ] ||
  [ -z "$slot_state" ] || [ "$slot_state" = lost ]; then
  if pg_lsclusters -h | awk -v name="$REPLICA" -v v="$version" '$1 == v && $2 == name { found = 1 } END { exit !found }'; then
    pg_dropcluster --stop "$version" "$REPLICA" || cannot_replicate "could not drop the old replica cluster"
  fi
  if [ -n "$slot_state" ]; then
    psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qAtc "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null ||
      cannot_replicate "could not drop the replication slot $SLOT"
  fi
  pg_createcluster "$version" "$REPLICA" --port "$REPLICA_PORT" >/dev/null ||
    cannot_replicate "pg_createcluster failed"
  find "$data" -mindepth 1 -delete
  as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" -R -C -S "$SLOT" -X stream -c fast ||
    cannot_replicate "pg_basebackup from 127.0.0.1:$PRIMARY_PORT failed"
fi

# 3. The same loopback access as the main cluster, running, in recovery (read-only), streaming.
replica_hba="/etc/postgresql/$version/$REPLICA/pg_hba.conf"
if ! cmp -s "$hba" "$replica_hba"; then
  cp -p "$hba" "$replica_hba"
  ! replica_up || pg_ctlcluster --skip-systemctl-redirect "$version" "$REPLICA" reload
fi
replica_up || pg_ctlcluster --skip-systemctl-redirect "$version" "$REPLICA" start ||
  cannot_replicate "the replica cluster did not start (see /var/log/postgresql/postgresql-$version-$REPLICA.log)"
for _ in $(seq 1 30); do replica_up && break; sleep 1; done
replica_up || cannot_replicate "the replica cluster is not accepting connections"
[ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atc "SELECT pg_is_in_recovery()")" = t ] ||
  cannot_replicate "the cluster on $REPLICA_PORT is not a standby"
# A test stopped half-way (Ctrl-C, a killed run) may have left replay paused: resume it.
psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qAtc "SELECT pg_wal_replay_resume()" >/dev/null ||
  cannot_replicate "could not resume replay on $REPLICA_PORT"
echo "replica-setup: streaming replica of 127.0.0.1:$PRIMARY_PORT on 127.0.0.1:$REPLICA_PORT"
