#!/bin/sh
# Runs once, when the PostgreSQL volume is empty (the image's /docker-entrypoint-initdb.d convention):
# one database per stateful service, owned by a login role of the same name, password from the secrets
# volume, closed to everybody else; pgvector in retrieval's database.
set -eu
for role in gateway orchestrator retrieval tools_agent evaluation; do
  password=$(cat "/secrets/postgres/$role.password")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE ROLE $role LOGIN PASSWORD '$password';
CREATE DATABASE $role OWNER $role;
REVOKE ALL ON DATABASE $role FROM PUBLIC;
SQL
done
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname retrieval -c 'CREATE EXTENSION IF NOT EXISTS vector'
