/**
 * One message catalogue for the extension and the CLI. Every user-facing string of the core is written
 * in English as `l10n.t('Uploaded {0} of {1}', a, b)` (the English text is the key, as with
 * `vscode.l10n.t`, so `npx @vscode/l10n-dev export` finds it); the translations live in
 * `l10n/bundle.l10n.<locale>.json`. The extension routes `l10n.t` to `vscode.l10n.t` at activation
 * (`useTranslator`), the CLI loads the bundle its locale asks for (`useTranslations`). Nothing here
 * imports `vscode`.
 *
 * Call `l10n.t` when a message is made, never at module load: the language is chosen after import.
 */

export type L10nArg = string | number | boolean;

/** A bundle as `@vscode/l10n-dev` writes it: the English message → its translation (or `{ message }`). */
export type L10nBundle = Record<string, string | { message: string; comment?: string[] }>;

type Translator = (message: string, args: L10nArg[]) => string;

let translator: Translator | undefined;

/** `{0}`, `{1}` … replaced by the arguments, as `vscode.l10n.t` does; unknown indices stay as written. */
export function formatMessage(template: string, args: readonly L10nArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

export const l10n = {
  /** The message in the current language, its `{n}` placeholders filled from `args`. */
  t(message: string, ...args: L10nArg[]): string {
    return translator ? translator(message, args) : formatMessage(message, args);
  },
};

/** The extension: every `l10n.t` goes through the editor's own (`vscode.l10n.t`), which knows the display language. */
export function useTranslator(translate: Translator | undefined): void {
  translator = translate;
}

/** The CLI (and tests): translate from a bundle's contents; `undefined` goes back to English. */
export function useTranslations(bundle: L10nBundle | undefined): void {
  if (!bundle) {
    translator = undefined;
    return;
  }
  translator = (message, args) => {
    const entry = bundle[message];
    const text = typeof entry === 'string' ? entry : (entry?.message ?? message);
    return formatMessage(text, args);
  };
}
