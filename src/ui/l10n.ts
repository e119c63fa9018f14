import * as vscode from 'vscode';
import { useTranslator } from '../util/l10n';

/**
 * The core's `l10n.t` (errors, verdict details, report headings, and the editor-free modules of src/ui)
 * speaks the editor's display language through `vscode.l10n.t`. Imported first by src/extension.ts, so
 * it is wired before any other module of the extension runs its top-level code.
 */
useTranslator((message, args) => vscode.l10n.t(message, ...args));
