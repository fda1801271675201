// What the extension registers at run time against what its manifest contributes: a command in the palette
// that nothing registers fails when chosen, and a registered command missing from the manifest is unreachable.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'devin-vscode.devin-vscode';
/** Hooks the integration tests use; registered only in ExtensionMode.Test and never contributed. */
const TEST_ONLY = new Set(['devin.consumption.debugState', 'devin.session.debugState']);

suite('commands', () => {
  test('every contributed command is registered and every registered devin command is contributed', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const manifest = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8')) as {
      contributes: { commands: { command: string }[] };
    };
    const contributed = new Set(manifest.contributes.commands.map((entry) => entry.command));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith('devin.')));
    // VS Code registers focus/reset commands for each contributed view and container.
    const viewCommands = (id: string) =>
      /^devin\.[A-Za-z]+\.(?:focus|resetViewLocation|open|toggleVisibility|removeView)$/.test(id) ||
      /^workbench\./.test(id);
    assert.deepEqual([...contributed].filter((id) => !registered.has(id)).sort(), [], 'contributed but not registered');
    assert.deepEqual(
      [...registered].filter((id) => !contributed.has(id) && !TEST_ONLY.has(id) && !viewCommands(id)).sort(),
      [],
      'registered but not contributed',
    );
    assert.equal(extension.extensionKind !== undefined, true);
    assert.equal(registered.has('devin.consumption.debugState'), true, 'test hooks are registered in test mode');
  });
});
