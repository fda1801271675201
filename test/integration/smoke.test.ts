// The cheapest proof that the packaged manifest and the bundle agree: the extension is found under its
// publisher.name id, activates without throwing, and registers its entry command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'devin-vscode.devin-vscode';

suite('smoke', () => {
  test('the extension is present and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('devin.signIn is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('devin.signIn'), 'devin.signIn is not among the registered commands');
  });
});
