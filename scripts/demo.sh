#!/usr/bin/env bash
# The README's `make demo`: real calls against the built-in local cloud.
# Until the reconciler lands it drives the API by hand: create a VDC and a
# private network, wait for their tasks, list them, delete them again.
set -euo pipefail
bin=${1:-bin/cdstack}
export CDS_ENDPOINT=local
export CDSTACK_LOCAL_CLOUD=${CDSTACK_LOCAL_CLOUD:-.cdstack/demo-cloud.db}
export CDSTACK_LOCAL_TASK_LATENCY=${CDSTACK_LOCAL_TASK_LATENCY:-300ms}
rm -f "$CDSTACK_LOCAL_CLOUD"

bold=$'\033[1m' plain=$'\033[0m'
[ -t 1 ] || { bold=''; plain=''; }
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain" >&2; "$@"; }
field() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" | head -n 1; }

step "$bin" api CreateVdc RegionId=CN_Beijing_A VdcName=demo --wait | tee /tmp/cdstack-demo.$$ >&2
vdc_task=$(field TaskId </tmp/cdstack-demo.$$)
vdc=$(step "$bin" api DescribeTask TaskId="$vdc_task" | tee /dev/stderr | field ResourceId)

step "$bin" api CreatePrivateNetwork VdcId="$vdc" Name=lan Address=10.10.0.0 Mask=16 --wait >/dev/null
step "$bin" api DescribeVdc VdcId="$vdc" >&2
lan=$("$bin" api DescribeVdc VdcId="$vdc" 2>/dev/null | field PrivateId)

step "$bin" api DeletePrivateNetwork PrivateId="$lan" --wait >/dev/null
step "$bin" api DeleteVdc VdcId="$vdc" --wait >/dev/null
step "$bin" api DescribeVdc >&2
rm -f /tmp/cdstack-demo.$$
printf '\n%sThe local cloud created, listed and deleted a VDC and its network.%s\n' "$bold" "$plain" >&2
