// `npm run db:migrate`: apply every pending migration to DATABASE_URL (or the embedded PGlite).
import { configOrExit, loadDatabaseConfig } from '../core/config.js';
import { connectDatabase, migrateToLatest } from './connect.js';

const config = configOrExit(loadDatabaseConfig);
const handle = await connectDatabase(config);
try {
  const applied = await migrateToLatest(handle.db);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
} finally {
  await handle.close();
}
