# The app image: API, worker, migrations and Temporal setup run from it with different commands.
FROM node:20.19.5-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json config.ts ./
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY services ./services
COPY worker ./worker
COPY api ./api
COPY db ./db
COPY scripts/temporal-setup.ts ./scripts/temporal-setup.ts

USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node_modules/.bin/tsx", "api/server.ts"]
