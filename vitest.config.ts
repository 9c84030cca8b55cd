import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-temporary-folder.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
