import { defineConfig } from 'vitest/config';

// Files that start real media stacks (LiveKit server, worker, audio in real time): on a 2-core box
// two of them side by side starve each other's audio, so they run one at a time, after the rest.
const MEDIA = ['test/e2e/**/*.test.ts', 'test/browser/voice.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        // Two files at a time, each on its own database.
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: MEDIA, maxWorkers: 2 },
      },
      {
        extends: true,
        test: { name: 'media', include: MEDIA, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
