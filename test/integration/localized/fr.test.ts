import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SANDBOX_TOKENS, type Sandbox } from '../../sandbox/server';
import { readTranslations } from '../../translations';
import { EXTENSION_ID, activateExtension, signIn, signOut, startSandboxForExtension } from '../support';

/**
 * VS Code in French (DEVIN_HOST_LOCALE=fr): the extension's manifest strings come from package.nls.fr.json and
 * the messages of vscode.l10n.t from l10n/bundle.l10n.fr.json.
 */

type ManifestTitle = string | { value: string; original: string };

/** VS Code turns a localized command title into { value, original }; other strings stay plain. */
function shownText(title: ManifestTitle): string {
  return typeof title === 'string' ? title : title.value;
}

suite('VS Code in French', () => {
  const fr = readTranslations('fr');
  let sandbox: Sandbox;

  suiteSetup(async () => {
    sandbox = await startSandboxForExtension();
    await activateExtension();
    await signOut();
  });

  suiteTeardown(async () => {
    await signOut();
    await sandbox.close();
  });

  test('the extension host runs in French', () => {
    assert.equal(vscode.env.language, 'fr');
  });

  test('vscode.l10n loaded l10n/bundle.l10n.fr.json', () => {
    assert.match(vscode.l10n.uri?.path ?? '', /\/l10n\/bundle\.l10n\.fr\.json$/);
    assert.deepEqual(vscode.l10n.bundle, fr.bundle);
  });

  test('the manifest shows the Sign In command and the signed-out welcome in French', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: {
        commands: { command: string; title: ManifestTitle }[];
        viewsWelcome: { view: string; contents: string; when?: string }[];
      };
    };
    const declared = fr.command('devin.signIn').title;
    assert.notEqual(fr.manifestText(declared), fr.englishManifestText(declared), 'the French title is translated');
    const signIn = manifest.contributes.commands.find((entry) => entry.command === 'devin.signIn');
    assert.equal(shownText(signIn?.title ?? ''), fr.manifestText(declared));

    const welcome = fr.welcome('devin.sessions', 'signedOut');
    assert.notEqual(fr.manifestText(welcome), fr.englishManifestText(welcome), 'the French welcome is translated');
    const shown = manifest.contributes.viewsWelcome.find(
      (entry) => entry.view === 'devin.sessions' && (entry.when ?? '').includes('signedOut'),
    );
    assert.equal(shown?.contents, fr.manifestText(welcome));
  });

  test('a message of vscode.l10n.t reaches the user in French', async () => {
    const english = 'Devin did not accept this token: it may be mistyped, revoked or expired. Nothing was saved.';
    const french = fr.bundle[english];
    assert.ok(french && french !== english, 'bundle.l10n.fr.json translates the rejected-token message');
    const outcome = await signIn(SANDBOX_TOKENS.expired);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error, french);
  });
});
