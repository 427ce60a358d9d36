/** Offsets ↔ 1-based line/column over a line-start table (binary search; no text scanning). */

/** 0-based index of the line containing `offset`. */
export function lineIndexOf(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 1-based line and column (in UTF-16 code units) of `offset`. */
export function lineColumn(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  const i = lineIndexOf(lineStarts, offset);
  return { line: i + 1, column: offset - lineStarts[i] + 1 };
}
