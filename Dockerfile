# syntax=docker/dockerfile:1
# Longtail: build the TypeScript once, ship the compiled dist/ with production dependencies only.
#   docker build -t longtail .      docker compose up (two replicas on one PostgreSQL)

ARG NODE_IMAGE=node:20.20-bookworm-slim

# --- build: every dependency, the Prisma client generated, src/ compiled to dist/ ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
RUN npx prisma generate && npm run build

# --- production dependencies only (no TypeScript, Prisma CLI, vitest or Biome) ---------------------
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# --- runtime: compiled code, migrations and the playground's files, as an unprivileged user -------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LONGTAIL_DATA_DIR=/data
COPY --from=dependencies --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root prisma/migrations ./prisma/migrations
COPY --chown=root:root src/playground/public ./src/playground/public
# The embedded store's folder, for a single container without DATABASE_URL.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The command `npm start` runs (package.json "start"), without npm in between: signals reach node.
CMD ["node", "dist/main.js"]
