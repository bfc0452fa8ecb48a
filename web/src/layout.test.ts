// The layout rules of web/src (web/README.md, "Layout"), checked on the real import graph:
//
//  - no import cycle, neither between files nor between folders;
//  - a page folder (wall/, console/, portal/, planning/, leader/, stats/) imports no other page folder;
//  - common/ imports no page folder: it is what the pages share;
//  - nothing at the root of src/ but the generated api.gen.d.ts and this test.
//
// Every relative import is followed (`import type` too: a type-only import is still a dependency
// between two files); packages and files outside src/ (geodata, fonts) are left out. The rules
// are first tried on small made-up graphs, so a checker that finds nothing can't pass.

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const PAGES = ['wall', 'console', 'portal', 'planning', 'procedures', 'leader', 'stats', 'booking', 'counter', 'display', 'kiosk'];
const SHARED = ['common'];
const ROOT_FILES = ['api.gen.d.ts', 'layout.test.ts'];

/** file → the files it imports; paths relative to src/, e.g. `wall/main.ts`. */
type Graph = Map<string, string[]>;

/** `a/b/../c/./d` → `a/c/d`; null when it climbs out of src/. */
function normalise(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** The folder of a file; the root of src/ is called `src`. */
const dirOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : 'src');
const topOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '');

/** The import graph of `sources` (path → text); `unresolved` lists relative TS imports that name no file. */
function importGraph(sources: Record<string, string>): { graph: Graph; unresolved: string[] } {
  const files = new Set(Object.keys(sources));
  const graph: Graph = new Map();
  const unresolved: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    const deps: string[] = [];
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue; // a package
      const target = normalise(`${dirOf(file)}/${fileName.split('?')[0]}`);
      if (target === null) continue; // outside src/ (geodata, public/fonts)
      const found = [target, `${target}.ts`, `${target}.d.ts`, `${target}/index.ts`].find((f) => files.has(f));
      if (found) deps.push(found);
      else if (!/\.(css|json|geojson|pbf|svg|png)$/.test(target)) unresolved.push(`${file} → ${fileName}`);
    }
    graph.set(file, deps);
  }
  return { graph, unresolved };
}

/** One cycle per strongly connected component of more than one node (or a node importing itself). */
function cycles(graph: Graph): string[][] {
  // Tarjan's algorithm, then a path around each component.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(c);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((c) => {
    const inside = new Set(c);
    const start = [...c].sort()[0];
    // Walk inside the component back to the start (breadth first: the shortest way round).
    const from = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (w === start) {
          const path = [v];
          while (path[0] !== start) path.unshift(from.get(path[0])!);
          return [...path, start];
        }
        if (inside.has(w) && !from.has(w)) {
          from.set(w, v);
          queue.push(w);
        }
      }
    }
    return [...c, c[0]];
  });
}

/** The graph between folders (`src`, `common`, `common/map`, `wall`, …): an edge for each import that crosses one. */
function folderGraph(graph: Graph): Graph {
  const folders: Graph = new Map();
  for (const [file, deps] of graph) {
    const d = dirOf(file);
    const out = folders.get(d) ?? [];
    for (const t of deps) if (dirOf(t) !== d && !out.includes(dirOf(t))) out.push(dirOf(t));
    folders.set(d, out);
  }
  return folders;
}

/** Imports that break the folder rules, and files that sit where no rule allows them. */
function layoutErrors(graph: Graph): string[] {
  const errors: string[] = [];
  for (const [file, deps] of graph) {
    const top = topOf(file);
    if (top === '' && !ROOT_FILES.includes(file)) errors.push(`${file}: code at the root of src/ (put it in a page folder or common/)`);
    if (top !== '' && !PAGES.includes(top) && !SHARED.includes(top)) errors.push(`${file}: ${top}/ is neither a page folder nor common/`);
    for (const t of deps) {
      const to = topOf(t);
      if (PAGES.includes(top) && PAGES.includes(to) && to !== top) errors.push(`${file} → ${t}: page ${top}/ imports page ${to}/`);
      if (SHARED.includes(top) && PAGES.includes(to)) errors.push(`${file} → ${t}: ${top}/ imports page ${to}/`);
    }
  }
  return errors.sort();
}

const made = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges));

describe('the layout checker', () => {
  it('reads every kind of relative import, and only those', () => {
    const { graph, unresolved } = importGraph({
      'wall/main.ts': [
        "import type { A } from '../common/types';",
        "import * as S from './style';",
        "export { x } from './x';",
        "import './wall.css';",
        "import raw from '../../../geodata/danang/areas.geojson?raw';",
        "import maplibregl from 'maplibre-gl';",
        "const later = () => import('../common/http');",
        "const text = \"import nope from './nope'\"; // import also from './nope'",
        "import gone from './gone';",
      ].join('\n'),
      'wall/style.ts': '',
      'wall/x/index.ts': '',
      'common/types.ts': "import type { components } from '../api.gen';",
      'common/http.ts': '',
      'api.gen.d.ts': '',
    });
    expect(graph.get('wall/main.ts')).toEqual(['common/types.ts', 'wall/style.ts', 'wall/x/index.ts', 'common/http.ts']);
    expect(graph.get('common/types.ts')).toEqual(['api.gen.d.ts']);
    expect(unresolved).toEqual(['wall/main.ts → ./gone']);
  });

  it('finds cycles of any length, and a file importing itself', () => {
    expect(cycles(made({ a: ['b'], b: ['c'], c: [] }))).toEqual([]);
    expect(cycles(made({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual([['a', 'b', 'c', 'a']]);
    expect(cycles(made({ 'basemap.ts': ['style.ts'], 'style.ts': ['basemap.ts'] }))).toEqual([['basemap.ts', 'style.ts', 'basemap.ts']]);
    expect(cycles(made({ a: ['a'] }))).toEqual([['a', 'a']]);
  });

  it('finds cycles between folders', () => {
    const g = made({ 'common/a.ts': ['common/map/b.ts'], 'common/map/b.ts': ['common/c.ts'], 'common/c.ts': [] });
    expect(cycles(g)).toEqual([]);
    expect(cycles(folderGraph(g))).toEqual([['common', 'common/map', 'common']]);
  });

  it('finds pages importing each other, common importing a page, and code at the root', () => {
    expect(layoutErrors(made({ 'wall/a.ts': ['common/b.ts', 'wall/c.ts', 'api.gen.d.ts'], 'common/b.ts': [], 'wall/c.ts': [], 'api.gen.d.ts': [] }))).toEqual([]);
    expect(layoutErrors(made({
      'console/map.ts': ['wall/style.ts'],
      'common/api.ts': ['wall/health.ts'],
      'wall/style.ts': [],
      'wall/health.ts': [],
      'style.ts': [],
      'misc/x.ts': [],
    }))).toEqual([
      'common/api.ts → wall/health.ts: common/ imports page wall/',
      'console/map.ts → wall/style.ts: page console/ imports page wall/',
      'misc/x.ts: misc/ is neither a page folder nor common/',
      'style.ts: code at the root of src/ (put it in a page folder or common/)',
    ]);
  });
});

describe('web/src', () => {
  const sources = import.meta.glob<string>('./**/*.ts', { query: '?raw', import: 'default', eager: true });
  const { graph, unresolved } = importGraph(Object.fromEntries(Object.entries(sources).map(([p, text]) => [p.replace(/^\.\//, ''), text])));

  it('is read whole', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('wall/main.ts')).toContain('common/api.ts');
    expect(unresolved).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('has no import cycle between folders', () => {
    expect(cycles(folderGraph(graph)).map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps every page in its folder, importing only its own files and common/', () => {
    expect(layoutErrors(graph)).toEqual([]);
  });
});
