import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev:web` proxies the API to a Sundial started with `npm start` (PORT 3000 by default).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': `http://127.0.0.1:${process.env.SUNDIAL_PORT ?? 3000}` } },
});
