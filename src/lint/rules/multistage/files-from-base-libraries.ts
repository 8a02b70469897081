// DEF858 files-from-base-libraries: `%files from <stage>` copying the C library, the dynamic loader
// or other base libraries over the final stage's own.
import type { Stage } from '../../../parse/model.js';
import { q } from '../../vocab/text.js';
import { finalStage } from '../../vocab/sections.js';
import { defineRule } from '../../define-rule.js';
import { fromSections, fromStageOf, stageName } from '../../vocab/multistage-stages.js';

/** Library directories of the base system (multiarch ones included), whole or as `dir/*`. */
const LIBRARY_DIR = /^\/(usr\/)?lib(32|64|x32)?(\/(x86_64|aarch64|powerpc64le|s390x|i386|arm)-linux-gnu(eabihf)?)?\/?\*?$/;
/** glibc's loader and libraries, and the compiler runtime every C++ program loads. */
const BASE_LIBRARY =
  /^(ld-linux[\w.-]*\.so[\d.]*|ld64\.so[\d.]*|ld-[\d.]+\.so|lib(c|m|pthread|dl|rt|resolv|util|anl|crypt|nsl|mvec|stdc\+\+|gcc_s)(\.so[\d.]*|-[\d.]+\.so)?)\*?$/;
/** Where copied libraries replace the final stage's own: its library directories. */
const SYSTEM_LIBRARY_DESTINATION = /^\/(usr\/)?lib(32|64|x32)?(\/|$)/;

function fromOf(ctx: { resolvedHeader(stage: Stage, key: string): string | undefined }, stage: Stage): string | undefined {
  return ctx.resolvedHeader(stage, 'from')?.trim().toLowerCase();
}

export const filesFromBaseLibraries = defineRule({
  create: (ctx) => ({
    stage(stage) {
      if (stage !== finalStage(ctx.file)) return;
      const finalFrom = fromOf(ctx, stage);
      for (const section of fromSections(stage)) {
        const from = fromStageOf(ctx, stage, section);
        const source = ctx.file.stages.find((s) => s !== stage && from !== undefined && stageName(ctx, s) === from);
        const sourceFrom = source ? fromOf(ctx, source) : undefined;
        if (sourceFrom !== undefined && sourceFrom === finalFrom) continue;
        for (const entry of section.files ?? []) {
          const path = entry.source.replace(/^["']|["']$/g, '');
          const destination = (entry.destination || path).replace(/^["']|["']$/g, '');
          const name = path.replace(/\/+$/, '').split('/').pop() ?? '';
          const base = LIBRARY_DIR.test(path) || BASE_LIBRARY.test(name);
          if (!base || !SYSTEM_LIBRARY_DESTINATION.test(destination)) continue;
          ctx.report({
            messageId: 'baseLibrary',
            data: { source: q(path), stage: q(section.fromStage ?? ''), destination, from: sourceFrom ?? 'unknown' },
            range: entry.sourceRange,
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF858',
    slug: 'files-from-base-libraries',
    group: 'multistage',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: "`%files from <stage>` copying `libc.so.6`, the dynamic loader, `libstdc++` or a whole library directory over the final stage's own.",
    description: [
      "`%files from build` copies files over what the final stage's base already has. The C library",
      '(`libc.so.6`, `libm`, `libpthread`, ...) and the dynamic loader (`ld-linux-x86-64.so.2`) are one',
      "glibc release and must match each other: overwriting the final base's copies with another",
      "distribution's (or another release's) breaks every program in the image, the shell included.",
      "`libstdc++.so.6`/`libgcc_s.so.1` from a newer compiler replace the base's and change what its",
      'own C++ programs load; a whole `/lib` or `/usr/lib/x86_64-linux-gnu` does all of this at once.',
      '',
      'Copy the application and the libraries it adds (its install prefix), not the base system; or',
      'build on the same base image as the final stage. Stages whose `From:` is the same image are',
      'not reported (their base libraries are the same files).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:24.04\nStage: build\n\n%post\n    apt-get update && apt-get install -y g++\n\nBootstrap: docker\nFrom: debian:12-slim\n\n%files from build\n    /opt/app /opt/app\n    /usr/lib/x86_64-linux-gnu/libstdc++.so.6\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\nStage: build\n\n%post\n    apt-get update && apt-get install -y g++\n\nBootstrap: docker\nFrom: ubuntu:24.04\n\n%files from build\n    /opt/app /opt/app\n',
    source:
      'ld.so(8) and the glibc manual (the dynamic loader and libc.so.6 of one release are used together); GCC manual, "ABI Policy and Guidelines" (libstdc++ is backward compatible only); Apptainer user guide, "Definition Files: multi-stage builds"',
    messages: {
      baseLibrary:
        "{{ source }} from stage {{ stage }} overwrites the final stage's own base library at {{ destination }}: with another base image ({{ from }}) the programs of the image stop working. Copy only what the application adds.",
    },
  },
});
