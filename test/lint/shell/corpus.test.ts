// The shell layer over the 444 real-world files: never throws, ranges stay inside their
// section, and parsing everything is fast.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { SECTION_ANALYSIS_LIMIT, parseShellScripts, shellDetails } from '../../../src/lint/shell/index.js';
import { corpusDir, corpusPresent } from '../../helpers/corpus.js';

const dir = `${corpusDir}/files`;
const files = (corpusPresent ? readdirSync(dir) : [])
  .filter((n) => n.endsWith('.def'))
  .sort()
  .map((n) => ({ name: n, text: readFileSync(`${dir}/${n}`, 'utf8') }));

test.skipIf(files.length === 0)(
  'corpus: every shell section parses, ranges lie inside the section body',
  async () => {
    const parsed = files.map((f) => ({ ...f, file: parse(f.text) }));
    const all = [];
    for (const p of parsed) all.push({ ...p, scripts: await parseShellScripts(p.file) });
    let commands = 0;
    for (const { name, text, scripts } of all) {
      for (const script of scripts) {
        const { start, end } = script.section.bodyRange;
        for (const cmd of script.commands) {
          commands++;
          expect(cmd.range.start.offset, name).toBeGreaterThanOrEqual(start.offset);
          expect(cmd.range.end.offset, name).toBeLessThanOrEqual(end.offset);
          // A static name is the text at its range, modulo quotes and escapes.
          if (cmd.wrappers.length === 0 && /^[\w./-]+$/.test(cmd.name))
            expect(text.slice(cmd.nameRange.start.offset, cmd.nameRange.end.offset), name).toBe(cmd.name);
        }
        for (const v of shellDetails(script).variables) expect(text.slice(v.range.start.offset, v.range.end.offset), name).toBe(v.name);
      }
    }
    expect(commands).toBeGreaterThan(5000);
  },
  60_000,
);

test("a long script just under Apptainer's 64 KiB section limit parses whole; a longer one is not parsed", async () => {
  const script = (count: number) => {
    const lines = Array.from({ length: count }, (_, i) => `    echo line${i} && cp "a${i}" /opt/b${i} | tee -a log`);
    return `Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n${lines.join('\n')}\n`;
  };
  const fits = script(1_000);
  expect(fits.length).toBeLessThan(SECTION_ANALYSIS_LIMIT);
  const [whole] = await parseShellScripts(parse(fits));
  expect(whole.commands).toHaveLength(3_000);
  expect(whole.commands[2_999].range.start.line).toBe(1_004);
  // Apptainer rejects such a section (DEF019); building its syntax tree would cost ~300 bytes per byte.
  const [tooLong] = await parseShellScripts(parse(script(20_000)));
  expect(tooLong.commands).toEqual([]);
}, 60_000);
