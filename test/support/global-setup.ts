import { connectDatabase, migrateToLatest } from '../../db/connect.js';
import { adminQuery, TEMPLATE_DB, urlFor } from './postgres.js';

export async function setup() {
  await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${TEMPLATE_DB}`);
  const handle = await connectDatabase({ databaseUrl: urlFor(TEMPLATE_DB), dataDir: '.data' });
  await migrateToLatest(handle.db);
  await handle.close();
}

export async function teardown() {
  await adminQuery(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
}
