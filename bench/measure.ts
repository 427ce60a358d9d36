/**
 * One measurement in its own process (spawned by bench/run.ts):
 *   tsx bench/measure.ts parse <dir>    createSourceFile + a full node walk (the baseline)
 *   tsx bench/measure.ts engine <dir>   Failpath's analyze() (parse + facts + every rule, one walk)
 * Prints one JSON line: { ms, files, bytes, findings, peakRssMb }. Files are read before the clock starts.
 */
import * as fs from 'node:fs';
import * as ts from 'typescript';
import { analyze, parse } from '../server/src/engine/analyze';
import { ProjectLoader } from '../server/src/engine/project';
import { listSourceFiles } from './files';

const [mode, dir] = process.argv.slice(2);
const files = listSourceFiles(dir);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
let findings = 0;
let nodes = 0;
const loader = new ProjectLoader();
const projects = files.map((f) => loader.forFile(f));
const t0 = process.hrtime.bigint();
if (mode === 'parse') {
  const walk = (n: ts.Node): void => { nodes++; ts.forEachChild(n, walk); };
  for (let i = 0; i < files.length; i++) walk(parse(texts[i], files[i]));
} else if (mode === 'engine') {
  for (let i = 0; i < files.length; i++) findings += analyze({ text: texts[i], fileName: files[i], project: projects[i] }).findings.length;
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, files: files.length, bytes, findings, nodes, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
