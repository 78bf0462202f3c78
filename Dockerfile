# The API and the agent worker in one image; pick the process with the command:
#   docker run IMAGE                          the API (port 8000)
#   docker run --init IMAGE npm run agent     a worker (--init reaps the offline speech processes)
# Both need DATABASE_URL, the LIVEKIT_* settings and the secrets (NODE_ENV=production refuses defaults).
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends flite espeak-ng pocketsphinx pocketsphinx-en-us \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --no-audit --no-fund
COPY . .
# The web pages are built in the image (web/dist is never committed nor copied in).
RUN npm run build:web
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000
EXPOSE 8000
USER node
CMD ["node", "--import", "tsx", "api/server.ts"]
