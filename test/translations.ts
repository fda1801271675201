// The extension's translation files as the tests of a display language read them. The tests compare what VS Code
// shows with these files instead of repeating their text, so they keep working as the translations change, and
// they can still fail: VS Code showing English, a key or another language is never equal to the translated text.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** out/test/translations.js sits two levels below the repository root. */
const repoRoot = path.resolve(__dirname, '..', '..');

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

interface Manifest {
  contributes: {
    commands: ManifestCommand[];
    viewsWelcome: { view: string; contents: string; when?: string }[];
  };
}

export interface Translations {
  locale: string;
  /** The messages of `vscode.l10n.t` in this language, keyed by their English text. */
  bundle: Record<string, string>;
  /** A manifest string (`%key%` or plain text) in this language, falling back to English as VS Code does. */
  manifestText(value: string): string;
  /** The same string in English, from package.nls.json. */
  englishManifestText(value: string): string;
  /** A contributed command as package.json declares it (titles still `%key%`). */
  command(id: string): ManifestCommand;
  /** The welcome content of `view` whose `when` clause contains `whenIncludes`, as package.json declares it. */
  welcome(view: string, whenIncludes: string): string;
}

export function readTranslations(locale: string): Translations {
  const manifest = readJson<Manifest>('package.json');
  const english = readJson<Record<string, string>>('package.nls.json');
  const translated = { ...english, ...readJson<Record<string, string>>(`package.nls.${locale}.json`) };
  const resolve = (strings: Record<string, string>, value: string) => {
    const key = /^%(.+)%$/.exec(value)?.[1];
    if (key === undefined) return value;
    const text = strings[key];
    if (text === undefined) throw new Error(`package.json refers to ${value}, which package.nls.json lacks`);
    return text;
  };
  return {
    locale,
    bundle: readJson<Record<string, string>>(path.join('l10n', `bundle.l10n.${locale}.json`)),
    manifestText: (value) => resolve(translated, value),
    englishManifestText: (value) => resolve(english, value),
    command(id) {
      const found = manifest.contributes.commands.find((entry) => entry.command === id);
      if (!found) throw new Error(`package.json contributes no command ${id}`);
      return found;
    },
    welcome(view, whenIncludes) {
      const found = manifest.contributes.viewsWelcome.find(
        (entry) => entry.view === view && (entry.when ?? '').includes(whenIncludes),
      );
      if (!found) throw new Error(`package.json has no welcome for ${view} when ${whenIncludes}`);
      return found.contents;
    },
  };
}

function readJson<T>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, relative), 'utf8')) as T;
}
