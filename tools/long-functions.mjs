#!/usr/bin/env node
// Lists the functions longer than a limit (120 lines unless given) in the tracked .ts/.tsx files
// other than tests, migrations and generated types: `node tools/long-functions.mjs [LIMIT] [--skip FILE]...`.
// Issue 17 asks that a function over ~120 lines be split into parts with names.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import ts from 'typescript';

const args = process.argv.slice(2);
const skipped = new Set(args.flatMap((a, i) => (args[i - 1] === '--skip' ? [a] : [])));
const limit = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--skip') ?? 120);
const files = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts') && !f.includes('/migrations/') && !skipped.has(f));

const long = [];
for (const file of files) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.getEnd()).line - first + 1;
      const named = node.name ?? (ts.isVariableDeclaration(node.parent) || ts.isPropertyAssignment(node.parent) ? node.parent.name : undefined);
      if (lines > limit) long.push(`${file}:${first + 1} ${named ? named.getText(source) : '(anonymous)'}: ${lines} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
process.stdout.write(long.length ? `${long.join('\n')}\n` : `no function over ${limit} lines\n`);
process.exitCode = long.length ? 1 : 0;
