/**
 * Hover on a finding: the why in two sentences — what goes wrong at this spot (the finding's
 * first sentence) and what that costs in production (the rule's summary) — and a link to the
 * rule's documentation. Built from the stored analysis of the document, like the code actions;
 * positions outside every finding get no hover (other extensions' hovers stay alone).
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { docUrl, type Finding } from '../engine/types';
import { RULES_BY_ID } from '../rules';
import type { DocumentAnalysis } from './analysis';

/** Longest first sentence kept whole; longer ones are cut at a word boundary. */
const MAX_SENTENCE = 280;

/**
 * The first sentence of a finding's message: up to the first `.`, `!` or `?` followed by a space
 * and a capital, a backtick or a quote (so "e.g. pino" and "v7.0" do not end it).
 */
export function firstSentence(message: string): string {
  const text = message.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])\s+(?=[A-Z`"'(])/.exec(text);
  let sentence = m && !/\b(?:e\.g|i\.e|vs|etc)\.$/.test(m[1]) ? m[1] : text;
  if (sentence.length > MAX_SENTENCE) {
    const cut = sentence.lastIndexOf(' ', MAX_SENTENCE - 1);
    sentence = `${sentence.slice(0, cut > 0 ? cut : MAX_SENTENCE - 1)}…`;
  } else if (!/[.!?]$/.test(sentence)) sentence += '.';
  return sentence;
}

/** Markdown specials in free text (messages quote code such as `res.status(500)` or a_b). */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_[\]<>#|])/g, '\\$1');
}

/** Keeps `code spans` as code, escapes the rest. */
function markdownText(text: string): string {
  return text.split(/(`[^`]*`)/).map((part, i) => (i % 2 === 1 ? part : escapeMarkdown(part))).join('');
}

function hoverText(finding: Finding): string {
  const rule = RULES_BY_ID.get(finding.ruleId);
  const what = firstSentence(finding.message);
  const why = rule ? rule.summary : '';
  const fixes = finding.fixes.length;
  const tail = fixes > 0 ? ` · ${fixes === 1 ? 'a quick fix is' : `${fixes} quick fixes are`} available` : '';
  return [
    `**Failpath: ${finding.ruleId}** (${finding.severity})`,
    '',
    markdownText(why ? `${what} ${why}` : what),
    '',
    `[Why this matters and how to fix it](${docUrl(finding.ruleId)})${tail}`,
  ].join('\n');
}

/** The hover at `position`: every finding whose range contains it (innermost first), or null. */
export function buildHover(doc: TextDocument, analysis: DocumentAnalysis, position: Position): Hover | null {
  if (!position || typeof position.line !== 'number' || typeof position.character !== 'number') return null;
  const offset = doc.offsetAt(position);
  const hits = analysis.findings
    .map((finding, i) => ({ finding, diagnostic: analysis.diagnostics[i] }))
    .filter(({ finding }) => finding.start <= offset && offset <= finding.end)
    .sort((a, b) => (a.finding.end - a.finding.start) - (b.finding.end - b.finding.start));
  if (hits.length === 0) return null;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const { finding } of hits) {
    const key = `${finding.ruleId}:${finding.start}:${finding.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(hoverText(finding));
  }
  const inner = hits[0].diagnostic?.range ?? { start: doc.positionAt(hits[0].finding.start), end: doc.positionAt(hits[0].finding.end) };
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: inner };
}
