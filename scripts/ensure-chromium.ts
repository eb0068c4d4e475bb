// `npm run browser:ensure` (part of `npm test`): the browser tests drive Debian's Chromium
// (/usr/bin/chromium, or CHROMIUM_PATH) with playwright-core; Playwright's own browser download
// is not reachable here. When it is missing and this runs as root on Debian, it is installed with
// apt; otherwise the command says what to install.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function main(): number {
  if (fs.existsSync(path)) return 0;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.CHROMIUM_PATH || !root || !fs.existsSync('/usr/bin/apt-get')) {
    process.stderr.write(
      `No Chromium at ${path}: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH\n`,
    );
    return 1;
  }
  process.stdout.write('installing Debian chromium for the browser tests (apt-get install chromium)\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env });
  return fs.existsSync(path) ? 0 : 1;
}

process.exit(main());
