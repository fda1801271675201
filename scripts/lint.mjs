// Architecture lint, dependency-free: keeps the layers honest (only host code may touch `vscode`, the
// webview page sees nothing of the host), keeps debugging output out of the shipped code and real-looking
// tokens out of the repository. Prints file:line for each violation and exits 1 if there is any.
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;
/** Layers that must run in plain Node or a browser, so tests and the page never need VS Code. */
const VSCODE_FREE = ['src/api/', 'src/core/', 'src/shared/', 'src/webview-ui/'];
const WEBVIEW = 'src/webview-ui/';
const WEBVIEW_MAY_IMPORT = ['src/webview-ui/', 'src/shared/'];
const TOKEN = /cog_[A-Za-z0-9_-]{24,}/g;
/** The sandbox's fixed tokens are fake by design and live only there. */
const TOKEN_ALLOWED = ['test/sandbox/'];
const SKIP_DIRS = new Set(['.git', 'node_modules', 'out', 'dist', 'test-results', '.vscode-test']);
const SKIP_FILES = /\.(?:vsix|png|jpe?g|gif|ico|woff2?|ttf|zip|gz)$|^package-lock\.json$/;
const NODE_BUILTINS = new Set(builtinModules);

const violations = [];
const report = (file, text, index, message) => {
  const line = text.slice(0, index).split('\n').length;
  violations.push(`${file}:${line}: ${message}`);
};

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

function imports(text) {
  const found = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.push({ specifier: match[1], index: match.index });
  }
  return found;
}

function checkImports(file, text) {
  const isWebview = file.startsWith(WEBVIEW);
  const mustAvoidVscode = VSCODE_FREE.some((layer) => file.startsWith(layer));
  if (!mustAvoidVscode) return;
  for (const { specifier, index } of imports(text)) {
    if (specifier === 'vscode') {
      report(file, text, index, `${file.split('/').slice(0, 2).join('/')}/ must not import 'vscode'`);
      continue;
    }
    if (!isWebview) continue;
    if (specifier.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (!WEBVIEW_MAY_IMPORT.some((allowed) => target.startsWith(allowed))) {
        report(file, text, index, `the webview page may import only from src/shared/ (found '${specifier}')`);
      }
    } else if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0])) {
      report(file, text, index, `the webview page runs in a browser; no Node module '${specifier}'`);
    } else if (specifier.startsWith('/')) {
      report(file, text, index, `the webview page may import only from src/shared/ (found '${specifier}')`);
    }
  }
}

function checkConsoleLog(file, text) {
  for (const match of text.matchAll(/\bconsole\.log\s*\(/g)) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const before = text.slice(lineStart, match.index).trim();
    if (before.startsWith('//') || before.startsWith('*')) continue;
    report(file, text, match.index, "no console.log in src/ (use the extension's output channel)");
  }
}

function checkTokens(file, text) {
  if (TOKEN_ALLOWED.some((allowed) => file.startsWith(allowed))) return;
  for (const match of text.matchAll(TOKEN)) {
    report(
      file,
      text,
      match.index,
      `string that looks like a Devin API token (${match[0].slice(0, 8)}…); keep test tokens in test/sandbox/`,
    );
  }
}

const files = walk('');
for (const file of files) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  if (text.includes('\u0000')) continue; // binary
  if (file.startsWith('src/') && SOURCE.test(file)) {
    checkImports(file, text);
    checkConsoleLog(file, text);
  }
  checkTokens(file, text);
}

if (violations.length > 0) {
  for (const violation of violations) console.error(violation);
  console.error(`lint: ${violations.length} violation(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`lint: ${files.length} files clean`);
