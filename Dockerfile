# syntax=docker/dockerfile:1
# Production image for both the api and the worker (compose picks the entry point).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
# Named volumes mounted on /var/lib/deload and /var/spool/deload start with these directories' owner (node).
RUN mkdir -p /app/var /var/lib/deload /var/spool/deload && chown node:node /app/var /var/lib/deload /var/spool/deload
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
