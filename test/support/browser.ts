// A real browser for tests: Debian's Chromium (apt package `chromium`, /usr/bin/chromium, or
// CHROMIUM_PATH) driven by playwright-core. Playwright's own browser download is not used.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(given))
    throw new Error(
      `No Chromium at ${given}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  return given;
}

export async function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'], headless: true });
}
