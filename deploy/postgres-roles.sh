#!/bin/sh
# Run once by the postgres image when it creates the database: the role the Charla servers
# connect as. It owns no table (the image's POSTGRES_USER owns them and runs the migrations), so
# PostgreSQL's row-level security holds it (see "Running in production" in the README).
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v password="$CHARLA_SERVER_DB_PASSWORD" <<'SQL'
CREATE ROLE charla_server LOGIN PASSWORD :'password';
SQL
