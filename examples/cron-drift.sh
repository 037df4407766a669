#!/usr/bin/env bash
# Drift check for cron, feeding node_exporter's textfile collector.
#
#   */15 * * * *  /opt/cdstack/cron-drift.sh /srv/stacks/web-prod /var/lib/node_exporter/textfile
#
# cdstack drift is read-only (it never takes the state's write lock, so it
# runs safely next to an apply) and exits 0 (no drift), 2 (drift) or 1
# (error). The metrics file is replaced atomically, so the collector never
# reads half a file; alert on cdstack_drift_resources > 0 and on a stale
# cdstack_drift_last_run_timestamp_seconds. A platform stack that names its
# application stacks under tenants: counts their resources apart
# (cdstack_drift_tenant_resources, not drift); alert on
# cdstack_drift_tenant_unread > 0 too, a tenant whose state was not read.
set -uo pipefail
stack_dir=${1:?usage: cron-drift.sh STACK_DIR TEXTFILE_DIR}
textfile_dir=${2:?usage: cron-drift.sh STACK_DIR TEXTFILE_DIR}
cd "$stack_dir" || exit 1
# Credentials from a 0600 file, never from the crontab.
export CDSTACK_CREDENTIALS_FILE=${CDSTACK_CREDENTIALS_FILE:-$HOME/.cdstack/credentials}

cdstack drift --format prometheus --output "$textfile_dir/cdstack_$(basename "$stack_dir").prom"
status=$?
case $status in
  0) ;;                                   # no drift
  2) cdstack drift --format text | logger -t cdstack-drift ;;   # drift: details to syslog
  *) logger -t cdstack-drift "drift check of $stack_dir failed (exit $status)" ;;
esac
exit $status
