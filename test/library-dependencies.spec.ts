import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The dependency rules of the folder map in docs/developing.md that ESLint does not check: what
 * each library may import (its row in the map), foundation libraries below capabilities, no cycle
 * between libraries, no relative import out of a library or app. (The pure cores and "libs never
 * import apps" are fenced in eslint.config.mjs.)
 */
const root = join(__dirname, '..');

const PURE_CORES = ['domain', 'fit', 'pain-tags', 'rules'];
/** Outside systems and plumbing every capability uses; they know no capability. */
const FOUNDATION = ['config', 'crypto', 'events', 'logging', 'mail', 'persistence', 'queue'];

/** The one import of an app by another: `deload demo` runs the worker in process. */
const APP_IMPORTS_ALLOWED = ['apps/cli -> apps/worker/src/bootstrap'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

function libraries(): string[] {
  return readdirSync(join(root, 'libs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Each library's production code and the other libraries it imports (`@deload/<name>`). */
function libraryImports(): Map<string, Set<string>> {
  const imports = new Map<string, Set<string>>();
  for (const library of libraries()) {
    const used = new Set<string>();
    for (const file of sourceFiles(join(root, 'libs', library, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*['"]@deload\/([a-z-]+)['"]/g))
        if (match[1] !== library) used.add(match[1]);
    }
    imports.set(library, used);
  }
  return imports;
}

/** "May import" of each library's row in the folder map: `| \`libs/x\` | what | \`a\`, \`b\` |`. */
function documentedAllowances(): Map<string, Set<string>> {
  const developing = readFileSync(join(root, 'docs/developing.md'), 'utf8');
  const rows = developing.matchAll(/^\| `libs\/([a-z-]+)` \|.*\| ([^|]*) \|$/gm);
  return new Map([...rows].map(([, library, cell]) => [library, new Set([...cell.matchAll(/`([a-z-]+)`/g)].map((match) => match[1]))]));
}

/** Relative imports of production code that leave its library or app (`libs/x` or `apps/x`). */
function relativeImportsLeaving(): string[] {
  const leaving: string[] = [];
  for (const top of ['libs', 'apps']) {
    for (const unit of readdirSync(join(root, top))) {
      const home = `${top}/${unit}/`;
      for (const file of sourceFiles(join(root, top, unit, 'src'))) {
        for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import|require)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          const target = relative(root, resolve(dirname(file), match[1]));
          if (!target.startsWith(home)) leaving.push(`${top}/${unit} -> ${target}`);
        }
      }
    }
  }
  return leaving;
}

/** The first cycle found, as the path that closes it (`a → b → a`), or null. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const open = path.indexOf(node);
    if (open >= 0) return [...path.slice(open), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('dependencies between libraries', () => {
  const imports = libraryImports();

  it('finds the libraries and their imports', () => {
    expect(imports.size).toBeGreaterThan(10);
    expect([...imports.get('evaluation')!]).toContain('rules');
  });

  it('lets foundation libraries import only other foundation libraries and the pure cores', () => {
    const allowed = new Set([...FOUNDATION, ...PURE_CORES]);
    const wrong = FOUNDATION.flatMap((library) =>
      [...(imports.get(library) ?? [])].filter((used) => !allowed.has(used)).map((used) => `${library} → ${used}`),
    );
    expect(wrong).toEqual([]);
  });

  it('lets each library import only what its row of the folder map allows', () => {
    const allowances = documentedAllowances();
    const foundationAndPure = [...FOUNDATION, ...PURE_CORES];
    const undocumented = libraries().filter((library) => !allowances.has(library));
    const wrong = [...imports].flatMap(([library, used]) => {
      const allowed = new Set([
        ...(allowances.get(library) ?? []),
        ...(FOUNDATION.includes(library) || PURE_CORES.includes(library) ? [] : foundationAndPure),
      ]);
      return [...used].filter((name) => !allowed.has(name)).map((name) => `${library} → ${name}`);
    });
    expect({ undocumented, wrong }).toEqual({ undocumented: [], wrong: [] });
  });

  it('has no relative import out of its library or app, but the demo’s in-process worker', () => {
    expect(relativeImportsLeaving().filter((entry) => !APP_IMPORTS_ALLOWED.includes(entry))).toEqual([]);
  });

  it('has no cycle between libraries', () => {
    expect(findCycle(imports)).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('names every library and app in the folder maps of docs/developing.md and the README', () => {
    const developing = readFileSync(join(root, 'docs/developing.md'), 'utf8');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const folders = [...libraries().map((library) => `libs/${library}`), 'apps/api', 'apps/worker', 'apps/cli'];
    const unnamed = folders.flatMap((folder) => [
      ...(developing.includes(`\`${folder}\``) ? [] : [`docs/developing.md: ${folder}`]),
      ...(new RegExp(`^${folder}\\s`, 'm').test(readme) ? [] : [`README.md: ${folder}`]),
    ]);
    expect(unnamed).toEqual([]);
  });

  it('classifies every pure core and foundation library that exists', () => {
    const known = new Set(libraries());
    expect([...PURE_CORES, ...FOUNDATION].filter((library) => !known.has(library))).toEqual([]);
  });
});
