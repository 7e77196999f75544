import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = ['core', 'lambda', 'consumer', 'testing'];

interface Snippet {
  readonly where: string;
  readonly code: string;
}

function sourceFiles(pkg: string): string[] {
  const dir = join(root, 'packages', pkg, 'src');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(dir, name));
}

/** The ```ts blocks of every `@example` in the packages' TSDoc. */
function tsdocExamples(): Snippet[] {
  const snippets: Snippet[] = [];
  for (const pkg of packages) {
    for (const file of sourceFiles(pkg)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/@example\s*\n((?:\s*\*.*\n)*?)\s*\*\s*```ts\n((?:\s*\*.*\n)*?)\s*\*\s*```/g)) {
        const code = match[2]!.split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n');
        snippets.push({ where: `${file.slice(root.length)} (example ${snippets.length})`, code });
      }
    }
  }
  return snippets;
}

/** The ```ts blocks of the guides. */
function guideSnippets(): Snippet[] {
  const dir = join(root, 'docs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) =>
      [...readFileSync(join(dir, name), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => ({ where: `docs/${name} (snippet ${index})`, code: match[1]! })),
    );
}

// Snippets are fragments: names they use without declaring (`event`, `repository`, ...) are
// fine. Anything else — a wrong import, a missing export, a wrong option or argument type — fails.
const TOLERATED = new Set([
  2304, // Cannot find name 'x'.
  18004, // No value exists in scope for the shorthand property 'x' (same, in an object literal).
  2552, // Cannot find name 'x'. Did you mean 'y'?
  2451, // Cannot redeclare block-scoped variable (snippets showing "before" and "after").
  2300, // Duplicate identifier (same).
  2307, // Cannot find module — only for third-party packages, checked below.
  1375, // 'await' at top level in a file that is not a module.
  1378, // top-level await target.
  2393, // Duplicate function implementation.
  7006, // Parameter implicitly has an 'any' type (arrow functions in fragments).
  7031, // Binding element implicitly has an 'any' type.
]);

function compile(snippets: readonly Snippet[]): string[] {
  const files = new Map(snippets.map((snippet, index) => [join(root, 'docs', `__example_${index}.ts`), `export {};\n${snippet.code}`]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    baseUrl: root,
    paths: {
      ...Object.fromEntries(packages.map((pkg) => [`@batch-decline/${pkg}`, [`packages/${pkg}/src/index.ts`]])),
      '@batch-decline/testing/vitest': ['packages/testing/src/vitest.ts'],
      '@batch-decline/testing/vitest-global-setup': ['packages/testing/src/vitestGlobalSetup.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, language) : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const problems: string[] = [];
  [...files.keys()].forEach((name, index) => {
    for (const diagnostic of ts.getPreEmitDiagnostics(program, program.getSourceFile(name))) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      if (TOLERATED.has(diagnostic.code) && !(diagnostic.code === 2307 && message.includes('@batch-decline/'))) continue;
      problems.push(`${snippets[index]!.where}: TS${diagnostic.code} ${message}`);
    }
  });
  return problems;
}

describe('documentation examples', () => {
  const examples = tsdocExamples();

  it('every exported function and class has an @example importing from the published package name', () => {
    const missing: string[] = [];
    for (const pkg of packages) {
      for (const file of sourceFiles(pkg)) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/(\/\*\*(?:(?!\*\/)[\s\S])*?\*\/)\s*\nexport (?:async )?(?:function|class) (\w+)/g)) {
          const [, doc, name] = match;
          if (!doc!.includes('@example') && !doc!.includes('@internal')) missing.push(`${pkg}: ${name}`);
        }
        for (const match of text.matchAll(/\n\nexport (?:async )?(?:function|class) (\w+)/g)) missing.push(`${pkg}: ${match[1]} (no doc comment)`);
      }
    }
    expect(missing).toEqual([]);
    const imports = examples.filter((snippet) => /from '@batch-decline\//.test(snippet.code));
    expect(imports.length).toBeGreaterThan(30);
    expect(examples.filter((snippet) => /from '\.\.?\//.test(snippet.code))).toEqual([]);
  });

  it('every TSDoc example compiles against the current API', () => {
    expect(examples.length).toBeGreaterThan(30);
    expect(compile(examples)).toEqual([]);
  }, 120_000);

  it('every TypeScript snippet of the guides compiles against the current API', () => {
    const snippets = guideSnippets();
    expect(snippets.length).toBeGreaterThanOrEqual(7);
    expect(compile(snippets)).toEqual([]);
  }, 120_000);
});
