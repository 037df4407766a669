#!/usr/bin/env bash
# The README's `make demo`: shows what cdstack sends to the CDS API. Until the
# local cloud lands these are dry runs: signed requests printed, nothing sent.
set -euo pipefail
bin=${1:-bin/cdstack}
export CDS_SECRET_ID=${CDS_SECRET_ID:-demo-key-id} CDS_SECRET_KEY=${CDS_SECRET_KEY:-demo-key-secret}

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$bin" api DescribeVdc VdcId=abc --dry-run --nonce fixed-nonce --timestamp 2019-09-22T05:37:47Z
step "$bin" api CreateVdc RegionId=CN_Beijing_A VdcName=demo --dry-run
step "$bin" api CreateInstance RegionId=CN_Beijing_A VdcId=v-1 InstanceName=web-0 Cpu=2 Ram=4 \
	ImageId=Centos_7.6_64 Password=not-printed 'DataDisks=[{"Size":100,"Type":"ssd_disk"}]' --dry-run
step "$bin" api --list
