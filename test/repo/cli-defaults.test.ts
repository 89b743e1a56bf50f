// Every default is defined once, in a frozen DEFAULT_* object (or a named constant) that the library and
// `--help` both read: no option of the CLI may carry a number or string literal as its default. Booleans
// (a flag's false) and a positional argument's `-` (stdin) are not defaults of a setting and are allowed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import ts from 'typescript';

const CLI = new URL('../../src/cli/', import.meta.url).pathname;

function isLiteral(n: ts.Expression): boolean {
  if (ts.isNumericLiteral(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return true;
  if (ts.isPrefixUnaryExpression(n)) return ts.isNumericLiteral(n.operand);
  if (ts.isBinaryExpression(n)) return isLiteral(n.left) && isLiteral(n.right); // 1 << 24, 2 ** 32
  return false;
}

/** `file:line: text` of each option whose default is a literal. */
function literalDefaults(path: string): string[] {
  const src = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      // .option(flags, description, [parser,] default) and .default(value)
      const value =
        method === 'default' ? n.arguments[0] : method === 'option' || method === 'requiredOption' ? n.arguments[n.arguments.length - 1] : undefined;
      const hasDefault = method === 'default' || n.arguments.length >= 3;
      if (value !== undefined && hasDefault && isLiteral(value)) {
        const { line } = src.getLineAndCharacterOfPosition(n.expression.name.getStart());
        found.push(`src/cli/${path.slice(CLI.length)}:${line + 1}: .${method}(... ${value.getText()})`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

it('no CLI option has a literal default (each reads a DEFAULT_* object, so --help prints the live value)', () => {
  const files = readdirSync(CLI).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  assert.ok(files.length > 5, `expected the CLI sources under ${CLI}`);
  const found = files.flatMap((f) => literalDefaults(join(CLI, f)));
  assert.deepEqual(found, [], `defaults typed by hand; define them once in the module's DEFAULT_* object:\n${found.join('\n')}`);
});

it('the check finds a literal default', () => {
  const probe = ts.createSourceFile('x.ts', "cmd.option('--k <n>', 'k', intArg(1), 10).option('--x', 'x', false)", ts.ScriptTarget.Latest, true);
  const call = (probe.statements[0] as ts.ExpressionStatement).expression as ts.CallExpression;
  const inner = (call.expression as ts.PropertyAccessExpression).expression as ts.CallExpression;
  assert.equal(isLiteral(inner.arguments[3]!), true);
  assert.equal(isLiteral(call.arguments[2]!), false);
});
