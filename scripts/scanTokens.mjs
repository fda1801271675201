// Fails when any tracked-looking file outside the sandbox holds a string shaped like a real Devin API token.
// ESLint sees only code; a token pasted into a Markdown file, a JSON fixture or a shell script must be caught too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = /cog_[A-Za-z0-9_-]{24,}/g;
/** The sandbox's fixed tokens are fake by design and live only there. */
const TOKEN_ALLOWED = ['test/sandbox/'];
const SKIP_DIRS = new Set(['.git', 'node_modules', 'out', 'dist', 'test-results', '.vscode-test']);
const SKIP_FILES = /\.(?:vsix|png|jpe?g|gif|ico|woff2?|ttf|zip|gz)$|^package-lock\.json$/;

function walk(dir, files = []) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(rel, files);
    } else if (entry.isFile() && !SKIP_FILES.test(entry.name)) {
      files.push(rel);
    }
  }
  return files;
}

const violations = [];
const files = walk('');
for (const file of files) {
  if (TOKEN_ALLOWED.some((allowed) => file.startsWith(allowed))) continue;
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  if (text.includes('\u0000')) continue; // binary
  for (const match of text.matchAll(TOKEN)) {
    const line = text.slice(0, match.index).split('\n').length;
    violations.push(
      `${file}:${line}: looks like a Devin API token (${match[0].slice(0, 8)}…); keep test tokens in test/sandbox/`,
    );
  }
}

if (violations.length > 0) {
  for (const violation of violations) console.error(violation);
  console.error(`token scan: ${violations.length} violation(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`token scan: ${files.length} files clean`);
