# Roster's container image: `roster serve` as a non-root process on a small Node runtime.
# Build stage: the same install and build commands CI runs (.ci/run: `npm ci --no-audit --no-fund`, then
# `npm test` → `npm run build`), then dev dependencies are dropped. test/unit/dockerfile.test.ts keeps them in step.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
# `npm ci` runs the `prepare` script (npm run build: tsc, which compiles src/, test/ and bench/, then
# scripts/build-validators.mjs): all of them must be here.
COPY scripts ./scripts
COPY src ./src
COPY schemas ./schemas
COPY test ./test
COPY bench ./bench
RUN npm ci --no-audit --no-fund
RUN npm run build
RUN npm prune --omit=dev

# Runtime stage: only what `roster` needs at run time, owned by root and read-only to the process.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOME=/tmp \
    XDG_CACHE_HOME=/var/cache/roster
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/dist/src ./dist/src
# The Git cache for remote config repositories; deploy/ mounts an emptyDir here (the root filesystem is read-only).
RUN mkdir -p /var/cache/roster && chown 65532:65532 /var/cache/roster
# A numeric non-root user, so Kubernetes can verify runAsNonRoot without a passwd entry.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "dist/src/cli/bin.js"]
CMD ["serve"]
