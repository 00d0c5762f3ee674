#!/usr/bin/env bash
# Builds and installs pgvector 0.8.0 into the distribution's PostgreSQL (default 15), for retrieval's pgvector
# store and its integration test (PgVectorChunkIndexIT). Debian bookworm packages PostgreSQL 15 but not pgvector
# (Debian has it from trixie on), so this compiles Debian's pgvector source tarball, pinned by SHA-256, against the
# installed server (about 20 s). Needs root and apt-get; does nothing when vector.so of this version is installed.
#   infra/ci/install-pgvector.sh            # PG_MAJOR=15 by default
# Exit status: 0 installed or already there, 1 failed (the caller decides whether that matters; .ci/run warns).
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
VERSION=0.8.0
TARBALL="pgvector_${VERSION}.orig.tar.gz"
SHA256=867a2c328d4928a5a9d6f052cd3bc78c7d60228a9b914ad32aa3db88e9de27b0
SHA1=0bdd5a07a6e8bb6fd4af02199bf22e0c9a9d1321
# Debian's pool (the checksums are those of the signed pgvector_0.8.0-1.dsc), then snapshot.debian.org by content hash
SOURCES=("http://deb.debian.org/debian/pool/main/p/pgvector/${TARBALL}"
         "https://snapshot.debian.org/file/${SHA1}")
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"

installed_version() {
  local control
  control="$("$PG_CONFIG" --sharedir 2>/dev/null)/extension/vector.control"
  [ -f "$("$PG_CONFIG" --pkglibdir 2>/dev/null)/vector.so" ] && [ -f "$control" ] \
    && sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$control"
}

if [ -x "$PG_CONFIG" ] && [ "$(installed_version || true)" = "$VERSION" ]; then
  echo "pgvector $VERSION is already installed for PostgreSQL $PG_MAJOR"
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not installing pgvector (needs root and apt-get)" >&2
  exit 1
fi

log=/tmp/install-pgvector.log
echo "Installing pgvector $VERSION for PostgreSQL $PG_MAJOR (log: $log)..."
# the server package may be upgraded along with its headers: never let that start or restart a cluster
policy_created=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_created=1
fi
cleanup() {
  [ "$policy_created" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
  [ -n "${work:-}" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT

{ apt-get update -qq \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" build-essential curl ca-certificates; } >"$log" 2>&1 \
  || { echo "apt-get failed (see $log)" >&2; exit 1; }

work="$(mktemp -d)"
fetched=0
for url in "${SOURCES[@]}"; do
  if curl -fsSL --retry 2 --max-time 120 -o "$work/$TARBALL" "$url" >>"$log" 2>&1 \
     && echo "$SHA256  $work/$TARBALL" | sha256sum -c --quiet - >>"$log" 2>&1; then
    fetched=1
    break
  fi
  echo "could not fetch a verified $TARBALL from $url" >>"$log"
done
[ "$fetched" -eq 1 ] || { echo "no source tarball with SHA-256 $SHA256 could be fetched (see $log)" >&2; exit 1; }

tar -xzf "$work/$TARBALL" -C "$work"
( cd "$work/pgvector-$VERSION" \
  && make -s PG_CONFIG="$PG_CONFIG" OPTFLAGS="" \
  && make -s PG_CONFIG="$PG_CONFIG" install ) >>"$log" 2>&1 \
  || { echo "building pgvector failed (see $log)" >&2; exit 1; }

[ "$(installed_version || true)" = "$VERSION" ] || { echo "pgvector was built but is not where pg_config says" >&2; exit 1; }
echo "pgvector $VERSION installed: $("$PG_CONFIG" --pkglibdir)/vector.so"
