// `npm run api`: migrate, make sure the first HR user exists, listen, and shut down gracefully.
import { serve } from '@hono/node-server';
import { configOrExit, loadApiConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { connectDatabase, migrateToLatest } from '../db/connect.js';
import { ensureAdminUser } from '../db/queries/organizations.js';
import { createApp } from './app.js';
import { buildDeps } from './deps.js';
import { hashPassword } from './lib/password.js';
import { createWatchdog } from './watchdog.js';
import { createWebhookDelivery } from './webhook-delivery.js';

const config = configOrExit(loadApiConfig);

const log = createLogger(config.logLevel, 'api');
const database = await connectDatabase(config);
await migrateToLatest(database.db);
const admin = config.admin;
if (await ensureAdminUser(database.db, { ...admin, passwordHash: () => hashPassword(admin.password) })) {
  log.info('created the first HR user from ADMIN_EMAIL / ADMIN_PASSWORD');
}

const deps = buildDeps(config, database.db, log);
const app = createApp(config, deps);
const stopWatchdog = createWatchdog(deps).start();
const stopWebhooks = createWebhookDelivery(deps).start();
const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  log.info({ port: info.port, database: database.kind, llm: config.llm ? 'configured' : 'none' }, 'API listening');
  process.stdout.write(`API ready at ${config.publicBaseUrl} (database: ${database.kind})\n`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await Promise.all([stopWatchdog(), stopWebhooks()]);
  server.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
