import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    // Set-up hooks render whole reports; on the shared 2-core machine under load they can take far longer than the 10 s default.
    hookTimeout: 300_000,
    pool: 'threads',
  },
});
