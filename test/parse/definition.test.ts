// The pieces of Apptainer's populateDefinition that every parse path shares (src/parse/stage.ts):
// the %labels reader and the empty-definition test, checked against straightforward versions of
// what Apptainer does (GetLabels: strings.TrimSpace, then per line; an empty definition has no
// header, script, label, %files block or app section).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApptainerDefinition } from '../../src/parse/model.js';
import { isEmptyDefinition, readLabels } from '../../src/parse/stage.js';
import { goTrimSpace } from '../../src/parse/text.js';
import { defPiece } from '../helpers/def-like.js';

/** GetLabels written as Apptainer has it: trim the whole body, split it into lines, trim each. */
function getLabels(content: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const raw of goTrimSpace(content).split('\n')) {
    const line = goTrimSpace(raw);
    if (line === '' || line.startsWith('#')) continue;
    const space = line.indexOf(' ');
    if (space === -1) labels[line] = '';
    else labels[goTrimSpace(line.slice(0, space))] = goTrimSpace(line.slice(space + 1));
  }
  return labels;
}

const read = (content: string): Record<string, string> => {
  const labels: Record<string, string> = {};
  readLabels(content, labels);
  return labels;
};

describe('readLabels', () => {
  it('keys and values as Apptainer reads them', () => {
    expect(read('  Author  Jane Doe  \n#comment\n\nVersion\t1.0 beta\nempty\n  Author   John\r\n')).toEqual({
      Author: 'John',
      'Version\t1.0': 'beta',
      empty: '',
    });
    expect(read('a b\u00a0\n\u2003 key \u2003 value \u2003')).toEqual({ a: 'b', key: 'value' });
    expect(read('')).toEqual({});
    expect(read(' \n\t\n')).toEqual({});
  });

  it('equals GetLabels on label-like text (same keys, values and key order)', () => {
    const piece = defPiece('a', 'key value', ' ', '  ', '\u2003', '\u0085', '\u000b', '#x', 'k', 'v', '__proto__', 'constructor');
    const text = fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (content) => {
        const expected = getLabels(content);
        const actual = read(content);
        expect(Object.keys(actual)).toEqual(Object.keys(expected));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isEmptyDefinition', () => {
  const script = () => ({ args: '', script: '' });
  const empty = (): ApptainerDefinition => ({
    header: null,
    imageData: {
      metadata: null,
      labels: {},
      imageScripts: { help: script(), environment: script(), runScript: script(), test: script(), startScript: script() },
    },
    buildData: {
      files: [],
      buildScripts: { pre: script(), setup: script(), post: script(), test: script(), arguments: script() },
    },
    customData: null,
    appOrder: [],
  });

  it('is true only when nothing at all is defined', () => {
    expect(isEmptyDefinition(empty())).toBe(true);
    const changes: ((d: ApptainerDefinition) => void)[] = [
      (d) => (d.header = {}),
      (d) => (d.imageData.labels.a = ''),
      (d) => d.buildData.files.push({ args: '', files: null }),
      (d) => (d.customData = { 'apprun a': '' }),
      ...(['help', 'environment', 'runScript', 'test', 'startScript'] as const).flatMap((k) => [
        (d: ApptainerDefinition) => (d.imageData.imageScripts[k].script = 'x\n'),
        (d: ApptainerDefinition) => (d.imageData.imageScripts[k].args = '-c'),
      ]),
      ...(['pre', 'setup', 'post', 'arguments'] as const).flatMap((k) => [
        (d: ApptainerDefinition) => (d.buildData.buildScripts[k].script = 'x\n'),
        (d: ApptainerDefinition) => (d.buildData.buildScripts[k].args = '-c'),
      ]),
    ];
    for (const change of changes) {
      const d = empty();
      change(d);
      expect(isEmptyDefinition(d)).toBe(false);
    }
    // An empty customData object, as Apptainer's map with no entries, is still empty.
    const d = empty();
    d.customData = {};
    expect(isEmptyDefinition(d)).toBe(true);
  });
});
