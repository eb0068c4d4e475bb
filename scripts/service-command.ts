// How the service process is started, read from package.json's `start` script, so the bench and
// the tests that run the service as a process start it exactly as `npm start` does (the same
// compiled entry point and the same V8 flags) and nobody keeps a second copy of the flags.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** The arguments `npm start` gives node (flags and the entry point), as absolute paths. */
export function serviceNodeArguments(): string[] {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const words = scripts.start!.split(/\s+/).filter(Boolean);
  const node = words.indexOf('node');
  if (node < 0) throw new Error(`package.json start does not run node: ${scripts.start}`);
  return words.slice(node + 1).map((word) => (word.startsWith('-') ? word : path.join(ROOT, word)));
}
