import * as vscode from 'vscode';
import { useTranslations } from '../util/l10n';

/**
 * The core's messages (errors, verdict details, report headings, and the editor-free modules of src/ui)
 * come from the bundle the editor loaded for its display language (`vscode.l10n.bundle`, undefined in
 * English). Imported first by src/extension.ts, so it is set before any other module runs its top-level code.
 */
useTranslations(vscode.l10n.bundle);
