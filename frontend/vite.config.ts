// Build: static files in dist/ with relative paths, so the same build works from the local stack's
// root and from the S3 bucket behind CloudFront. Tests: Vitest in jsdom.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    css: false,
    testTimeout: 30_000, // a shared 2-core machine: typing into jsdom forms can take seconds
  },
});
