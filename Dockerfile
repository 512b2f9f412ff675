# One image for every Kraken app; docker-compose.yml picks the entry point per service.
# Secrets are never part of the image: they come from the environment (.env through compose) at run time.

# --- build: install everything, generate the Prisma client, compile, keep production dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/prisma-generate.js && npm run build && npm prune --omit=dev

# --- runtime: compiled apps, migrations, prompts and the model registry seed, as an unprivileged user ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/prompts ./prompts
COPY --from=build /app/config ./config
USER node
# Apps stop gracefully on SIGTERM within SHUTDOWN_GRACE_MS (see docs/operations.md).
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway/src/main.js"]
