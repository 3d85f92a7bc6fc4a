# Debian's pgbouncer for infra/compose.yaml (the package production uses).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends pgbouncer \
 && rm -rf /var/lib/apt/lists/*
# The package's postgres user; PgBouncer refuses to run as root.
USER postgres
EXPOSE 6432
