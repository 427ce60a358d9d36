/**
 * Helpers for the convention tests: a fixture project (or inline files) copied into a fresh
 * temporary folder, its module graph built with the real resolver, and its conventions learned;
 * paths in results made relative to the project root so tests assert exact data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModuleResolver } from '../../server/src/workspace/resolver';
import { buildModuleGraph, type ModuleGraph } from '../../server/src/workspace/moduleGraph';
import { ProjectReader } from '../../server/src/workspace/conventions/reader';
import { copyProject, put, sourceFiles, tempDir } from './fixtures';

export interface Learned {
  root: string;
  files: string[];
  graph: ModuleGraph;
  reader: ProjectReader;
  readText(file: string): string | undefined;
  rel(file: string): string;
}

function load(root: string): Learned {
  const readText = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  };
  const files = sourceFiles(root);
  const graph = buildModuleGraph(root, files, readText, new ModuleResolver(root));
  return { root, files, graph, readText, reader: new ProjectReader({ root, files, graph, readText }), rel: (f) => path.relative(root, f).split(path.sep).join('/') };
}

/** A fixture of test/fixtures/projects, copied. */
export function fixture(name: string): Learned {
  return load(copyProject(name));
}

/** A project made of `files` (relative path → text) in a fresh folder. */
export function inline(files: Record<string, string>): Learned {
  const root = path.join(tempDir('failpath-conv-'), 'app');
  fs.mkdirSync(root, { recursive: true });
  for (const [rel, text] of Object.entries(files)) put(root, rel, text);
  return load(root);
}

/** Replaces the root in every string of a plain-data value (deep), for exact assertions. */
export function relative<T>(value: T, root: string): T {
  return JSON.parse(JSON.stringify(value).split(`${root}/`).join('').split(root).join('.')) as T;
}
