#!/usr/bin/env node
/**
 * Size and coupling numbers for src/: the largest files, the longest functions (by lines, from the
 * TypeScript syntax tree) and the imports from one feature folder of src/ui into another.
 *
 *   node scripts/metrics.js [--root DIR] [--top N]
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const root = path.resolve(option('--root', path.join(__dirname, '..')));
const top = Number(option('--top', '10'));
const src = path.join(root, 'src');

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

const rel = (file) => path.relative(root, file).split(path.sep).join('/');

/** Every function-like node with a body: declarations, methods, arrows and function expressions. */
function functionsOf(sf) {
  const found = [];
  const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos).line;
  const nameOf = (node) => {
    if (node.name && ts.isIdentifier(node.name)) return node.name.text;
    if (node.name) return node.name.getText(sf);
    const parent = node.parent;
    if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
    if (ts.isConstructorDeclaration(node)) return 'constructor';
    return '(anonymous)';
  };
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = lineOf(node.getStart(sf));
      found.push({ name: nameOf(node), line: start + 1, lines: lineOf(node.end) - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** `src/ui/<feature>/…` → feature; top-level ui files and src/ui/shared are not features. */
function uiFeatureOf(file) {
  const parts = path.relative(path.join(src, 'ui'), file).split(path.sep);
  if (parts[0].startsWith('..') || parts.length < 2 || parts[0] === 'shared') return undefined;
  return parts[0];
}

function importsOf(sf) {
  const specs = [];
  const visit = (node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specs.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) {
        specs.push(node.arguments[0].text);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specs.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return specs;
}

const files = sourceFiles(src);
const sizes = [];
const functions = [];
const crossFeature = [];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  sizes.push({ file: rel(file), lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) });
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const fn of functionsOf(sf)) functions.push({ ...fn, file: rel(file) });
  const from = uiFeatureOf(file);
  if (!from) continue;
  for (const spec of importsOf(sf)) {
    if (!spec.startsWith('.')) continue;
    const to = uiFeatureOf(path.resolve(path.dirname(file), spec));
    if (to && to !== from) crossFeature.push(`${rel(file)} → ${spec}`);
  }
}

sizes.sort((a, b) => b.lines - a.lines);
functions.sort((a, b) => b.lines - a.lines);
console.log(`Largest files in src/ (${files.length} files):`);
for (const s of sizes.slice(0, top)) console.log(`  ${String(s.lines).padStart(5)}  ${s.file}`);
console.log(`Longest functions in src/ (${functions.length} functions):`);
for (const f of functions.slice(0, top)) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}:${f.line} ${f.name}`);
console.log(
  `Files over 400 lines: ${sizes.filter((s) => s.lines > 400).length}; functions over 80 lines: ${functions.filter((f) => f.lines > 80).length}`,
);
console.log(`Imports from one src/ui feature folder into another: ${crossFeature.length}`);
for (const c of crossFeature) console.log(`  ${c}`);
