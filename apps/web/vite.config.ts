import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Run from the repo root as `vite apps/web` / `vite build apps/web`: vite takes apps/web as
// its root, so `dist` lands in apps/web/dist, which the server serves with an SPA fallback.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
