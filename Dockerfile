# One image for every TextOps service; the compose file picks the service
# with SERVICE (ingress, orchestrator or worker).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.build.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/messaging/package.json libs/messaging/
COPY libs/runtime/package.json libs/runtime/
COPY libs/testing/package.json libs/testing/
COPY services/ingress/package.json services/ingress/
COPY services/orchestrator/package.json services/orchestrator/
COPY services/worker/package.json services/worker/
COPY tools/channel-fakes/package.json tools/channel-fakes/
COPY patches patches
RUN npm ci --no-audit --no-fund
COPY libs/contracts libs/contracts
COPY libs/messaging libs/messaging
COPY libs/runtime libs/runtime
COPY services services
COPY tools/channel-fakes tools/channel-fakes
# Only the services and the libraries they import; no tests, no test fixtures.
RUN npx tsc -b tsconfig.build.json

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/libs/contracts/package.json libs/contracts/
COPY --from=build /app/libs/messaging/package.json libs/messaging/
COPY --from=build /app/libs/runtime/package.json libs/runtime/
COPY --from=build /app/services/ingress/package.json services/ingress/
COPY --from=build /app/services/orchestrator/package.json services/orchestrator/
COPY --from=build /app/services/worker/package.json services/worker/
COPY --from=build /app/tools/channel-fakes/package.json tools/channel-fakes/
COPY --from=build /app/patches patches
# patch-package (the root's postinstall) fixes the MongoDB driver here too.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/libs/contracts/dist libs/contracts/dist
COPY --from=build /app/libs/messaging/dist libs/messaging/dist
COPY --from=build /app/libs/runtime/dist libs/runtime/dist
COPY --from=build /app/services/ingress/dist services/ingress/dist
COPY --from=build /app/services/orchestrator/dist services/orchestrator/dist
COPY --from=build /app/services/worker/dist services/worker/dist
# The stand-ins for Twilio and Telegram (compose's "fakes" profile), for trying the channels.
COPY --from=build /app/tools/channel-fakes/dist tools/channel-fakes/dist
# The job catalog the orchestrator reads by default (JOBS_FILE); mount another over it.
COPY config config
USER node
ENV SERVICE=ingress
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
