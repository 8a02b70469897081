// A minimal stand-in for the real parser, so the shell layer is tested on its own: it cuts a
// def file into `%section` chunks with exact body-line offsets (LF or CRLF), which is all the
// shell layer reads.
import type { ParsedFile, Position, Section, ShellInfo, Stage } from '../../../src/parse/model.js';

export function fakeFile(text: string): ParsedFile {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const positionAt = (offset: number): Position => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    const character = offset - lineStarts[line];
    return { offset, line: line + 1, character, column: [...text.slice(lineStarts[line], offset)].length + 1 };
  };
  const range = (s: number, e: number) => ({ start: positionAt(s), end: positionAt(e) });
  const sections: Section[] = [];
  let current: Section | undefined;
  lineStarts.forEach((start, i) => {
    const end = i + 1 < lineStarts.length ? lineStarts[i + 1] - 1 : text.length;
    const lineText = text.slice(start, end).replace(/\r$/, '');
    const header = /^%(\w+)(?: (.*))?$/.exec(lineText);
    if (header) {
      const name = header[1].toLowerCase();
      const args = header[2] ?? '';
      const interpreter = /-c\s+(\S+)/.exec(args)?.[1] ?? '/bin/sh';
      const base = interpreter.split('/').pop()!;
      const shell: ShellInfo | undefined = ['post', 'setup', 'pre', 'test', 'runscript', 'startscript', 'appinstall', 'apprun', 'apptest', 'appstart'].includes(
        name,
      )
        ? {
            interpreter,
            dialect: (['sh', 'bash', 'dash', 'ksh', 'zsh'].includes(base) ? base : 'other') as ShellInfo['dialect'],
            source: args ? 'args' : 'default',
            errexit: !args,
            commandLine: '',
          }
        : undefined;
      current = {
        kind: 'standard',
        name,
        word: header[1],
        args,
        hasArgs: header[2] !== undefined,
        body: '',
        bodyLines: [],
        range: range(start, end),
        lineRange: range(start, end),
        nameRange: range(start, start + 1 + header[1].length),
        bodyRange: range(end, end),
        shell,
      };
      sections.push(current);
    } else if (current) {
      current.bodyLines.push({ text: lineText, line: i + 1, offset: start });
    }
  });
  for (const s of sections) {
    while (s.bodyLines.length && s.bodyLines[s.bodyLines.length - 1].text === '') s.bodyLines.pop();
    s.body = s.bodyLines.map((l) => l.text).join('\n');
  }
  const stage: Stage = {
    index: 0,
    range: range(0, text.length),
    header: [],
    headerValues: {},
    headerRange: range(0, 0),
    sections,
    placeholders: [],
    argumentDefaults: {},
    appOrder: [],
    empty: false,
  };
  return {
    text,
    tree: { type: 'file', range: range(0, text.length), children: [] },
    stages: [stage],
    diagnostics: [],
    apptainer: { ok: true, defs: [] },
    positionAt,
  };
}
