#!/bin/sh
# setup.sh - install the Debian packages tuxmm needs, only when something is missing.
# Run by `make`, `make demo` and `make test`; does nothing when all is there.
set -e

need=""
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

for p in cmake make gcc clang pkg-config libcmocka-dev liblua5.4-dev libedit-dev zlib1g-dev \
	 libjemalloc-dev libmimalloc-dev groff-base man-db chromium; do
	have_pkg "$p" || need="$need $p"
done

[ -z "$need" ] && exit 0

echo "setup: installing missing packages:$need" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need >&2
