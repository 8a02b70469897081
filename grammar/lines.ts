// Line-level facts of a def file, as Apptainer's scanner sees them: Go's notion of space, where a
// line's content ends, and whether a line starts a section or a stage. No parser machinery here, so
// the Apptainer-result path (src/parse/apptainer-result.ts) loads without chevrotain.

/** Go's unicode.IsSpace, which bufio.ScanWords and strings.TrimSpace use. */
export function isGoSpace(code: number): boolean {
  if (code <= 0xff) {
    return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0;
  }
  return (code >= 0x2000 && code <= 0x200a) || code === 0x1680 || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** End of the line content starting at `start`: before `\n`, and before one `\r` that ends the line. */
export function lineContentEnd(text: string, start: number): number {
  let nl = text.indexOf('\n', start);
  if (nl === -1) nl = text.length;
  // bufio.ScanLines drops one trailing CR, also on a final line without a newline.
  return nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** Does the line starting at `start` begin a section: is its first word `%...`? */
export function isSectionStart(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isGoSpace(code)) return code === 37; // '%'
  }
  return false;
}

/**
 * Start offsets of the lines that begin a section (isSectionStart), ascending, found from the `%`
 * characters with native search: only the spaces before a `%` are looked at, not every line.
 */
export function sectionLineStarts(text: string): number[] {
  const starts: number[] = [];
  for (let p = text.indexOf('%'); p !== -1; p = text.indexOf('%', p + 1)) {
    let i = p - 1;
    while (i >= 0) {
      const code = text.charCodeAt(i);
      // Usually the character before a `%` is printable ASCII: decided without a call.
      if (code !== 32 && code !== 9 && (code === 10 || (code > 32 && code < 127) || !isGoSpace(code))) break;
      i--;
    }
    if (i < 0 || text.charCodeAt(i) === 10) starts.push(i + 1);
  }
  return starts;
}

const BOOTSTRAP = 'bootstrap:';
/** `(?mi)^bootstrap:` at `start`. Go's case folding also maps U+017F (long s) to `s`. */
export function isStageStart(text: string, start: number): boolean {
  if (text.length - start < BOOTSTRAP.length) return false;
  for (let i = 0; i < BOOTSTRAP.length; i++) {
    const code = text.charCodeAt(start + i);
    const want = BOOTSTRAP.charCodeAt(i);
    if (code === want) continue;
    if (code >= 65 && code <= 90 && code + 32 === want) continue;
    if (want === 115 && code === 0x17f) continue;
    return false;
  }
  return true;
}
