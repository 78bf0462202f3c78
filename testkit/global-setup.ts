import type { TestProject } from 'vitest/node';
import { connectDatabase, migrateToLatest } from '../db/connect.js';
import { adminQuery, templateName, urlFor } from './postgres.js';

let template: string | undefined;

export async function setup(project: TestProject) {
  template = templateName();
  await adminQuery(`CREATE DATABASE ${template}`);
  const handle = await connectDatabase({ databaseUrl: urlFor(template), dataDir: '.data' });
  await migrateToLatest(handle.db);
  await handle.close();
  project.provide('templateDb', template);
}

export async function teardown() {
  if (template) await adminQuery(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
}
