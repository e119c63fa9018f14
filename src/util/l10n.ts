import * as l10n from '@vscode/l10n';
import type { l10nJsonFormat } from '@vscode/l10n';

/**
 * One message catalogue for the extension and the CLI. Every user-facing string is written in English
 * as `l10n.t('Uploaded {0} of {1}', a, b)`: `vscode.l10n.t` in the editor glue, and `l10n.t` of the
 * `@vscode/l10n` package in the editor-free core (`import * as l10n from '@vscode/l10n'`). The English
 * text is the key, so `npx @vscode/l10n-dev export` finds every message; the translations live in
 * `l10n/bundle.l10n.<locale>.json`. Which bundle the core reads is set once per process: the editor's own
 * (`vscode.l10n.bundle`, src/ui/l10n.ts) or the one the CLI's locale asks for (src/cli/lang.ts).
 *
 * Call `l10n.t` when a message is made, not when a core module loads: the CLI picks its language
 * after its modules are loaded.
 */

/** A bundle as `@vscode/l10n-dev` writes it: the English message → its translation (or `{ message, comment }`). */
export type L10nBundle = l10nJsonFormat;

/** The core's messages from now on: translated by `bundle`, or English when there is none. */
export function useTranslations(bundle: L10nBundle | undefined): void {
  l10n.config({ contents: bundle ?? {} });
}
