// `npm run browser:ensure` (part of `npm test`): the browser tests drive Debian's Chromium
// (/usr/bin/chromium, or CHROMIUM_PATH) with playwright-core; Playwright's own browser download
// is not reachable here. The console speaks Chinese, so a CJK font (fonts-wqy-zenhei) comes with
// it: without one the screenshots show boxes. What is missing is installed with apt when this
// runs as root on Debian; otherwise the command says what to install.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CJK_FONT_DIR = '/usr/share/fonts/truetype/wqy';

function main(): number {
  const missing = [
    ...(fs.existsSync(path) ? [] : ['chromium']),
    ...(fs.existsSync(CJK_FONT_DIR) || process.env.CHROMIUM_PATH ? [] : ['fonts-wqy-zenhei']),
  ];
  if (missing.length === 0) return 0;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (
    (process.env.CHROMIUM_PATH && missing.includes('chromium')) ||
    !root ||
    !fs.existsSync('/usr/bin/apt-get')
  ) {
    process.stderr.write(
      `Missing for the browser tests: ${missing.join(', ')}: install Debian's packages (sudo apt-get install ${missing.join(' ')}) or set CHROMIUM_PATH\n`,
    );
    return 1;
  }
  process.stdout.write(`installing for the browser tests: apt-get install ${missing.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
  return fs.existsSync(path) ? 0 : 1;
}

process.exit(main());
