# TradeDesk container: the bot with its jobs. Data (the SQLite file) lives in /app/data — mount a
# volume there, or set DATABASE_URL to PostgreSQL.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 builds from source with node-gyp
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/db ./scripts/db
COPY src/db/url.ts ./src/db/url.ts
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production LOG_FORMAT=json
COPY --from=deps /app/node_modules ./node_modules
COPY . .
COPY --from=deps /app/src/db/generated ./src/db/generated
# the bot compiled once, here (npm start builds on every start; the image starts the build)
RUN node --import tsx scripts/build.ts
RUN mkdir -p /app/data && chown -R node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8080
# tini forwards SIGTERM so the bot shuts down cleanly (stops polling, finishes updates, closes the DB)
ENTRYPOINT ["/usr/bin/tini", "--"]
# the flags of package.json's start script (test/ops/build.test.ts checks they agree)
CMD ["node", "--heap-growing-percent=25", "dist/main.js"]
