// DEF756 (opt-in): base OS glibc older than the host's, so host libraries bound in (--nv, --rocm,
// bind-model MPI) may not load.
import type { Stage } from '../../../parse/model.js';
import { finalStage } from '../../vocab/sections.js';
import { stageBase } from '../../vocab/base-image.js';
import { lastEntry } from '../../vocab/header.js';
import { defineRule } from '../../define-rule.js';

/** glibc of common base distributions, by `distro:version` (also codenames). */
const GLIBC: Record<string, string> = {
  'ubuntu:12.04': '2.15',
  'ubuntu:14.04': '2.19',
  'ubuntu:16.04': '2.23',
  'ubuntu:18.04': '2.27',
  'ubuntu:20.04': '2.31',
  'ubuntu:22.04': '2.35',
  'ubuntu:24.04': '2.39',
  'ubuntu:precise': '2.15',
  'ubuntu:trusty': '2.19',
  'ubuntu:xenial': '2.23',
  'ubuntu:bionic': '2.27',
  'ubuntu:focal': '2.31',
  'ubuntu:jammy': '2.35',
  'ubuntu:noble': '2.39',
  'debian:7': '2.13',
  'debian:8': '2.19',
  'debian:9': '2.24',
  'debian:10': '2.28',
  'debian:11': '2.31',
  'debian:12': '2.36',
  'debian:13': '2.41',
  'debian:wheezy': '2.13',
  'debian:jessie': '2.19',
  'debian:stretch': '2.24',
  'debian:buster': '2.28',
  'debian:bullseye': '2.31',
  'debian:bookworm': '2.36',
  'debian:trixie': '2.41',
  'el:5': '2.5',
  'el:6': '2.12',
  'el:7': '2.17',
  'el:8': '2.28',
  'el:9': '2.34',
  'el:10': '2.39',
  'opensuse:15': '2.31',
};

const EL_NAMES =
  /^(centos|rockylinux|rockylinux\/rockylinux|almalinux|oraclelinux|redhat\/ubi\d*|ubi\d*|rhel|quay\.io\/centos\/centos|quay\.io\/rockylinux\/rockylinux)$/;

/** Looks a base image up in the table: `ubuntu:22.04`, `centos:7`, `nvidia/cuda:12.4.1-devel-rockylinux8`, `rocm/dev-ubuntu-22.04`. */
export function baseGlibc(repository: string, tag: string | undefined): { os: string; glibc: string } | undefined {
  const lookup = (distro: string, version: string) => {
    const key = `${distro}:${version}`;
    if (GLIBC[key]) return { os: key, glibc: GLIBC[key] };
    const major = version.split('.')[0];
    return GLIBC[`${distro}:${major}`] ? { os: `${distro}:${major}`, glibc: GLIBC[`${distro}:${major}`] } : undefined;
  };
  const name = repository.replace(/^docker\.io\//, '');
  if (tag) {
    if (name === 'ubuntu' || name === 'debian') return lookup(name, tag.replace(/-slim$/, '').replace(/^(\d+\.\d+)\..*/, '$1'));
    if (EL_NAMES.test(name)) {
      const ubi = /^redhat\/ubi(\d+)|^ubi(\d+)/.exec(name);
      return lookup('el', ubi ? (ubi[1] ?? ubi[2]) : tag.replace(/^stream/, ''));
    }
    if (name === 'opensuse/leap') return lookup('opensuse', tag);
  }
  // OS written in a GPU image's tag or name: `...-ubuntu22.04`, `...-rockylinux8`, `dev-ubuntu-22.04`.
  const text = `${name}:${tag ?? ''}`;
  const m = /(ubuntu|centos|rockylinux|ubi|rhel|debian|almalinux)-?(\d+(?:\.\d+)?)/.exec(text);
  if (!m) return undefined;
  return lookup(m[1] === 'ubuntu' || m[1] === 'debian' ? m[1] : 'el', m[2]);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** glibc below which no current GPU driver or MPI stack's host libraries load. */
const FLOOR_GLIBC = '2.17';

export const libcGap = defineRule({
  check(ctx) {
    const stage: Stage | undefined = finalStage(ctx.file);
    if (!stage || !lastEntry(stage, 'from')) return;
    const base = stageBase(ctx, stage);
    if (!base) return;
    const found = baseGlibc(base.ref.repository, base.ref.tag);
    if (!found) return;
    const host = typeof ctx.options.hostGlibc === 'string' && /^\d+\.\d+$/.test(ctx.options.hostGlibc) ? ctx.options.hostGlibc : undefined;
    const threshold = host ?? FLOOR_GLIBC;
    if (compareVersions(found.glibc, threshold) >= 0) return;
    ctx.report({
      messageId: host ? 'baseHasGlibcOlder' : 'baseHasGlibcCurrent',
      data: { base: base.value, os: found.os, glibc: found.glibc, host: host ?? '', floor: FLOOR_GLIBC },
      range: base.range,
    });
  },
  meta: {
    id: 'DEF756',
    slug: 'libc-gap',
    group: 'gpu',
    defaultSeverity: 'off',
    presets: ['hpc'],
    summary: "Base OS glibc older than the host's: host GPU/MPI libraries bound into the container will not load.",
    description: `\`--nv\` and \`--rocm\` bind the **host's** GPU libraries into the container, and the bind model of MPI
does the same with the host MPI. Those libraries were linked against the host's glibc; in a container
whose glibc is older they fail with \`GLIBC_2.xx not found\`. (A newer container glibc is fine.)

Set the option \`hostGlibc\` to the cluster's glibc version (\`ldd --version\` on a compute node, e.g.
\`"2.28"\` for RHEL 8, \`"2.34"\` for RHEL 9). The rule then compares the final stage's base image (Ubuntu,
Debian, CentOS/Rocky/Alma/UBI, openSUSE Leap, and the OS in \`nvidia/cuda\`/\`rocm\` tags) with it. Without
the option it only flags bases older than glibc ${FLOOR_GLIBC} (CentOS 6 era), which no current host stack
supports. Off by default; the \`hpc\` preset turns it on.`,
    bad: `Bootstrap: docker
From: centos:6

%post
    yum -y install gcc
`,
    good: `Bootstrap: docker
From: rockylinux:9

%post
    dnf -y install gcc
`,
    source: 'Apptainer user guide "GPU Support" (host libraries and the container\'s libc)',
    optionsSchema: {
      type: 'object',
      properties: { hostGlibc: { type: 'string', pattern: '^\\d+\\.\\d+$', description: "The cluster's glibc version, e.g. 2.28." } },
      additionalProperties: false,
    },
    messages: {
      baseHasGlibcOlder:
        "Base '{{ base }}' ({{ os }}) has glibc {{ glibc }}, older than the host's {{ host }}: host GPU/MPI libraries bound in will fail with 'GLIBC_{{ host }} not found'.",
      baseHasGlibcCurrent: "Base '{{ base }}' ({{ os }}) has glibc {{ glibc }}: current host GPU drivers and MPI stacks need at least {{ floor }}.",
    },
  },
});
