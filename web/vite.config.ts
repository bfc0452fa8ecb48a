import { defineConfig } from 'vitest/config';

// Multi-page build: the public portal (index), the wall, the console, the planning map, the
// leaders' page, the public figures (stats), and the offices' pages (booking, counter, display, kiosk). Everything (MapLibre JS/CSS and ECharts included) is bundled into dist/assets with
// content-hashed names; the server embeds dist/.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { index: 'index.html', wall: 'wall.html', console: 'console.html', planning: 'planning.html', procedures: 'procedures.html', leader: 'leader.html', stats: 'stats.html', booking: 'booking.html', counter: 'counter.html', display: 'display.html', kiosk: 'kiosk.html' },
    },
  },
  server: { proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
