#!/usr/bin/env bash
# Runs one command with everything ovms-validate needs in place (Node >= 22.22, npm dependencies,
# a Docker engine), then stops the Docker engine again if it had to start one. SIGINT, SIGTERM and
# SIGHUP are passed on to the command, and this script returns only after it has ended.
#   bash scripts/with-env.sh npm run test:self
#   bash scripts/with-env.sh npx ovms-validate --target stand-in --user 1000:1000
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=provision.sh
. "$here/provision.sh"
if [ $# -eq 0 ]; then echo "usage: bash scripts/with-env.sh COMMAND [ARGS...]" >&2; exit 2; fi
provision_all || exit 3
trap 'provision_stop' EXIT
cd "$here/.."
"$@" &
child=$!
for sig in INT TERM HUP; do
  # shellcheck disable=SC2064
  trap "kill -$sig $child 2>/dev/null" "$sig"
done
# `wait` returns early when a trapped signal arrives: wait again until the command has ended.
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
exit $status
