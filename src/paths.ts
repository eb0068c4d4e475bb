// Where the project's files are when the service runs from source (src/) or compiled (dist/src/):
// what is not compiled (the console, package.json) is read from the project's root.
import path from 'node:path';

const compiled = path.basename(path.resolve(__dirname, '..')) === 'dist';
export const PROJECT_ROOT = path.resolve(__dirname, compiled ? '../..' : '..');
