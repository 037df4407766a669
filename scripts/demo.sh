#!/usr/bin/env bash
# The README's `make demo`: the main job against the built-in local cloud, on
# examples/quickstart.yaml: validate → plan → apply → plan (no changes) →
# a change made outside cdstack → drift (exit 2) → apply → destroy.
set -euo pipefail
bin=$(cd "$(dirname "${1:-bin/cdstack}")" && pwd)/$(basename "${1:-bin/cdstack}")
work=$(mktemp -d "${TMPDIR:-/tmp}/cdstack-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp examples/quickstart.yaml "$work/stack.yaml"
cd "$work"
export CDS_ENDPOINT=local
export CDSTACK_LOCAL_TASK_LATENCY=${CDSTACK_LOCAL_TASK_LATENCY:-400ms}
export WEB_ADMIN_PASSWORD=Demo-Passw0rd

bold=$'\033[1m' plain=$'\033[0m'
[ -t 1 ] || { bold=''; plain=''; }
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() { printf '%s$ %s%s\n' "$bold" "$*" "$plain" >&2; "$@"; }

say "1. Check the stack file"
run "$bin" validate

say "2. Plan: everything is new"
run "$bin" plan

say "3. Apply"
run "$bin" apply --auto-approve

say "4. Plan again: nothing to do"
run "$bin" plan --detailed-exitcode

say "5. Someone resizes web[0] and stops it from the console"
id=$("$bin" state show 'web[0]' --json 2>/dev/null | sed -n 's/^  "id": "\(.*\)",$/\1/p')
run "$bin" api ModifyInstanceSpec InstanceId="$id" Cpu=4 Ram=8 --wait >/dev/null
run "$bin" api StopInstance InstanceId="$id" --wait >/dev/null

say "6. Drift (what cron would run): exit 2"
set +e
run "$bin" drift
code=$?
set -e
[ "$code" = 2 ] || { echo "drift exited $code, want 2" >&2; exit 1; }
echo "(drift exited $code)"

say "7. Apply puts it back"
run "$bin" apply --auto-approve
run "$bin" drift

say "8. Destroy"
run "$bin" destroy --auto-approve
run "$bin" state list
printf '\n%sDone: the stack was created, checked, repaired and destroyed in the local cloud.%s\n' "$bold" "$plain"
