// The migration list, explicit and ordered (no directory scanning), the same for Postgres and PGlite.
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_lifecycle.js';
import * as m0003 from './0003_rubrics.js';
import * as m0004 from './0004_demographics.js';
import * as m0005 from './0005_webhooks.js';
import * as m0006 from './0006_prompt_versions.js';
import * as m0007 from './0007_agent_heartbeat.js';
import * as m0008 from './0008_interview_language.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_lifecycle': m0002,
  '0003_rubrics': m0003,
  '0004_demographics': m0004,
  '0005_webhooks': m0005,
  '0006_prompt_versions': m0006,
  '0007_agent_heartbeat': m0007,
  '0008_interview_language': m0008,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
