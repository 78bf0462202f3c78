import { defineConfig } from 'vitest/config';

// Files that start real media stacks (LiveKit server, worker, audio in real time): on a 2-core box
// two of them side by side starve each other's audio, so they run one at a time, after the rest.
const MEDIA = ['test/e2e/**/*.test.ts', 'test/browser/voice.test.ts'];

// The pure tests (test/unit) need nothing installed beyond node_modules: no Postgres, no LiveKit,
// no namespace (`npm run test:unit`). The rest get a migrated template database (global setup).
const DATABASE = ['testkit/global-setup.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], maxWorkers: 2 },
      },
      {
        extends: true,
        // Two files at a time, each on its own database.
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: [...MEDIA, 'test/unit/**'], globalSetup: DATABASE, maxWorkers: 2 },
      },
      {
        extends: true,
        test: { name: 'media', include: MEDIA, globalSetup: DATABASE, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
