// The console's build: React, served by the API's express server (src/console.ts) in Vite's
// middleware mode during development and from console/dist in production.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  plugins: [react()],
  build: { outDir: path.join(__dirname, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 600 },
});
