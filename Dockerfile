# syntax=docker/dockerfile:1
# Charla's server as a container: the published package (compiled JavaScript, `charla-server`),
# built from this repository. Data: CHARLA_DATABASE_URL (PostgreSQL) or the SQLite file under
# /data; media are kept under /data/media (share that volume between processes).

# 1. Build the widget and the publishable packages, and pack them as npm would publish them.
FROM node:20-bookworm AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && node scripts/packages.mjs pack

# 2. Install the packed server (and the protocol package it depends on) with production
#    dependencies only; better-sqlite3's native module is built or fetched here.
FROM node:20-bookworm AS install
WORKDIR /app
COPY --from=build /src/.build/tarballs/ /tarballs/
RUN echo '{"name":"charla-server-app","private":true,"type":"module"}' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tarballs/charla-protocol-*.tgz /tarballs/charla-server-*.tgz \
 && rm -rf /tarballs

# 3. The runtime: Node and the installed package, run as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    CHARLA_DB=/data/charla.db
WORKDIR /app
COPY --from=install /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Ready when the store (and Redis, when configured) answer: see GET /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node_modules/.bin/charla-server", "--host", "0.0.0.0"]
