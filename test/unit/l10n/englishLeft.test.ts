import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * No English sentence slips past the catalogue where users read it: every text written as a literal
 * into an error the user sees (`new XxxError(…)` in the core), into a storage operation phrase
 * (`operation: …`, which every storage error quotes), or into a UI message call goes through `l10n.t`.
 * A literal counts as text when it holds a word of two letters or more outside `${…}`; a bare kind
 * (`'invalid-request'`) or a code (`'EFILECHANGED'`) does not.
 */

const ROOT = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The literal text of a string or template node, without its `${…}` parts; undefined for other nodes. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return undefined;
}

const KIND = /^[a-z]+(?:-[a-z0-9]+)*$/; // a StorageErrorKind such as 'invalid-request'
const CODE = /^[A-Z][A-Z0-9_]*$/;
const isText = (s: string): boolean => !KIND.test(s) && !CODE.test(s) && /[A-Za-z]{2,}/.test(s);

/** The literals with words among `node`'s own pieces: string concatenations, conditionals, parentheses — not calls. */
function textLiterals(node: ts.Node): string[] {
  const own = literalText(node);
  if (own !== undefined) return isText(own) ? [own] : [];
  if (ts.isBinaryExpression(node)) return [...textLiterals(node.left), ...textLiterals(node.right)];
  if (ts.isConditionalExpression(node)) return [...textLiterals(node.whenTrue), ...textLiterals(node.whenFalse)];
  if (ts.isParenthesizedExpression(node)) return textLiterals(node.expression);
  return [];
}

function calleeName(node: ts.Expression): string {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return '';
}

interface Rule {
  /** Folders of `src` the rule reads. */
  dirs: string[];
  /** The literals of `node` that must have gone through l10n.t. */
  find(node: ts.Node): string[];
}

/**
 * Errors no user reads: `RawError` and the listing parser's errors become a `StorageError` worded by
 * errorMapping.ts; RangeError / TypeError are programming errors.
 */
const UNREAD = /^(RawError|RangeError|TypeError)$/;
// The inventory parser runs in a worker thread, where no catalogue is loaded (like src/crc).
const UNREAD_FILES = new Set(['src/storage/shared/listXml.ts', 'src/inventory/parse.ts']);

/** `new XxxError('…')`, `super('…')` in an Error class: what the user reads as the error. */
const errors: Rule = {
  // Not src/crc: its messages are made in worker threads, where no catalogue is loaded.
  dirs: ['src/transfer', 'src/storage', 'src/util', 'src/integrity', 'src/record', 'src/inventory', 'src/cli'],
  find(node) {
    if (UNREAD_FILES.has(node.getSourceFile().fileName)) return [];
    if (ts.isNewExpression(node) && /Error$/.test(calleeName(node.expression)) && !UNREAD.test(calleeName(node.expression)))
      return (node.arguments ?? []).flatMap(textLiterals);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const cls = ts.findAncestor(node, ts.isClassDeclaration);
      const base = cls?.heritageClauses?.[0]?.types[0]?.expression;
      if (base && /Error$/.test(calleeName(base)) && !UNREAD.test(cls?.name?.text ?? '')) return node.arguments.flatMap(textLiterals);
    }
    return [];
  },
};

/** `operation: '…'` of a storage call: quoted inside every storage error ("… while trying to <operation>"). */
const operations: Rule = {
  dirs: ['src/storage'],
  find(node) {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'operation') return textLiterals(node.initializer);
    return [];
  },
};

/**
 * `reason: '…'` / `keptBecause: '…'` of a transfer's outcome: why a copy was not verified or a source kept,
 * which notifications and reports quote. (The audit's `reason` of a route is a JSON field, not shown.)
 */
const reasons: Rule = {
  dirs: ['src/transfer', 'src/cli/commands'],
  find(node) {
    if (!ts.isPropertyAssignment(node) || !ts.isIdentifier(node.name)) return [];
    if (node.name.text !== 'reason' && node.name.text !== 'keptBecause') return [];
    if (node.getSourceFile().fileName.endsWith('src/cli/commands/auditInventories.ts')) return [];
    return textLiterals(node.initializer);
  },
};

/** What the editor shows: notifications, errors, and the titles, prompts and messages of pickers, progress and tree items. */
const SHOWN = /^show(Information|Warning|Error)Message$/;
const SHOWN_PROPERTIES = new Set(['title', 'placeHolder', 'prompt', 'message', 'tooltip', 'saveLabel', 'openLabel']);
const ui: Rule = {
  dirs: ['src/ui'],
  find(node) {
    if (ts.isCallExpression(node) && SHOWN.test(calleeName(node.expression))) return node.arguments.slice(0, 1).flatMap(textLiterals);
    if (ts.isNewExpression(node) && /Error$/.test(calleeName(node.expression)) && !UNREAD.test(calleeName(node.expression)))
      return (node.arguments ?? []).flatMap(textLiterals);
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && SHOWN_PROPERTIES.has(node.name.text)) return textLiterals(node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const target = node.left;
      if (ts.isPropertyAccessExpression(target) && SHOWN_PROPERTIES.has(target.name.text)) return textLiterals(node.right);
    }
    return [];
  },
};

function offences(rule: Rule): string[] {
  const out: string[] = [];
  for (const file of rule.dirs.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      for (const text of rule.find(node)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        out.push(`${file}:${line}: ${text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

describe('no English left outside the catalogue', () => {
  it('words every error of the core through l10n.t', () => {
    expect(offences(errors)).toEqual([]);
  });

  it('words what the editor shows through vscode.l10n.t', () => {
    expect(offences(ui)).toEqual([]);
  });

  it('words why a transfer was not verified or kept its source through l10n.t', () => {
    expect(offences(reasons)).toEqual([]);
  });

  it('words every storage operation phrase through l10n.t', () => {
    expect(offences(operations)).toEqual([]);
  });
});
