#!/usr/bin/env bash
# Runs one command with everything ovms-validate needs in place (Node >= 22.22, npm dependencies,
# a Docker engine), then stops the Docker engine again if it had to start one.
#   bash scripts/with-env.sh npm run test:self
#   bash scripts/with-env.sh npx ovms-validate --target stand-in --user 1000:1000
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=provision.sh
. "$here/provision.sh"
if [ $# -eq 0 ]; then echo "usage: bash scripts/with-env.sh COMMAND [ARGS...]" >&2; exit 2; fi
provision_all || exit 3
trap 'provision_stop' EXIT
trap 'exit 130' INT TERM
cd "$here/.."
"$@"
status=$?
exit $status
