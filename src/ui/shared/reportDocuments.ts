import * as vscode from 'vscode';

export const REPORT_SCHEME = 'bucket-integrity-report';
const KEEP = 20;

/**
 * Reports open as read-only documents of their own scheme: no "save changes?" when the tab is closed,
 * and the text can still be copied or saved with "Save As".
 */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private counter = 0;
  private readonly registration: vscode.Disposable;

  /** Each feature showing reports registers its own scheme (one provider per scheme). */
  constructor(private readonly scheme = REPORT_SCHEME) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? vscode.l10n.t('This report is no longer available; run the command again.');
  }

  async show(title: string, text: string): Promise<void> {
    const name = title.replace(/[\\/:*?"<>|]+/g, '_').slice(0, 80);
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${name}.txt`, query: String(++this.counter) });
    this.texts.set(uri.toString(), text);
    while (this.texts.size > KEEP) this.texts.delete(this.texts.keys().next().value as string);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
