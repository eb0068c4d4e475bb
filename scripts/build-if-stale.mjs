// Compiles the service (tsconfig.build.json → dist/) when any of its sources is newer than the
// last build: `npm start` runs it first, so a fresh clone needs no extra step and a current build
// costs a directory walk (~50 ms), not a compiler run. Plain JavaScript: it runs before anything
// is compiled, and without tsx (which the compiled service no longer loads).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist/.tsbuildinfo');
const SOURCES = ['src', 'migrations', 'seeds'];
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestIn(directory) {
  let newest = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const newest = Math.max(
  ...SOURCES.map((dir) => newestIn(path.join(root, dir))),
  ...CONFIGS.map((file) => fs.statSync(path.join(root, file)).mtimeMs),
);
if (newest > built) {
  process.stderr.write('compiling the service (tsconfig.build.json → dist/) ...\n');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc leaves the stamp untouched when nothing needed emitting: mark this check as done.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}
