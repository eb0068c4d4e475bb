// Stops what global-setup started (a container or the embedded cluster; nothing for a URL).
import type { ProvidedDatabase } from './provider';

export default async function globalTeardown(): Promise<void> {
  const provided = (globalThis as { __testDatabase?: ProvidedDatabase }).__testDatabase;
  if (provided) await provided.stop();
}
