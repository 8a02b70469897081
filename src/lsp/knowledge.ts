// What the editor shows on hover and offers in completion: sections, header keys and bootstrap
// agents, described from Apptainer's behaviour (see docs/deffile-format.md in the shared docs).
import { CANONICAL_HEADER_KEYS } from '../format/canonical.js';
import { isAppSectionName } from '../lint/vocab/sections.js';

export interface SectionDoc {
  name: string;
  /** App sections take an app name: `%appinstall NAME`. */
  app: boolean;
  summary: string;
  detail: string;
}

/** What hover and completion say about each section, in completion order. */
const SECTION_TEXT: Record<string, { summary: string; detail: string }> = {
  arguments: {
    summary: 'Default values for `{{ NAME }}` placeholders.',
    detail:
      'One `KEY=VALUE` per line; blank lines and `#` lines are skipped. The value is taken verbatim (quotes and trailing `# text` included). `--build-arg KEY=VALUE` overrides a default. Defaults apply only to the stage they are written in. Never executed.',
  },
  pre: {
    summary: 'Host script run before the bootstrap.',
    detail: 'Runs on the build host, as root, with `/bin/sh -ex`, before the base image is fetched. Rarely needed; it is not in the user documentation.',
  },
  setup: {
    summary: 'Host script run after the bootstrap.',
    detail:
      'Runs on the build host with `/bin/sh -ex`; `$APPTAINER_ROOTFS` points at the container root. It can change the host, so prefer `%files` and `%post`.',
  },
  files: {
    summary: 'Files copied into the container.',
    detail:
      '`SOURCE [DESTINATION]` per line. `%files from STAGE` copies from an earlier stage instead of the host. Only the first two words count; further words are silently ignored, and only `"` quotes work.',
  },
  post: {
    summary: 'Build script run inside the container.',
    detail:
      'Runs inside the new container with `/bin/sh -ex` after `%files`: install software here. `%post -c /bin/bash` changes the shell (and loses `-e`); a `#!` line is not honoured.',
  },
  environment: {
    summary: 'Shell lines sourced when the container starts.',
    detail: 'Appended to `/.singularity.d/env/90-environment.sh` and sourced at run time (not during the build). Use `export VAR=value`.',
  },
  runscript: {
    summary: 'What `apptainer run` executes.',
    detail:
      'Written to `/.singularity.d/runscript` with a `#!/bin/sh` shebang unless the body starts with its own `#!` line. Use `exec` so signals reach the program, and `"$@"` to pass arguments.',
  },
  startscript: {
    summary: 'What `apptainer instance start` executes.',
    detail: 'Written to `/.singularity.d/startscript`; same shebang rules as `%runscript`.',
  },
  test: {
    summary: 'Test run at the end of the build and by `apptainer test`.',
    detail: 'Runs after `%post` unless the build uses `--notest`; a failing test fails the build.',
  },
  labels: {
    summary: 'Image labels (`KEY value` per line).',
    detail: 'The key ends at the first space; the rest of the line is the value. A tab does not separate. Later keys win.',
  },
  help: { summary: 'Text shown by `apptainer run-help`.', detail: 'Stored verbatim as `/.singularity.d/runscript.help`.' },
  appinstall: { summary: 'SCIF app: install commands.', detail: 'Appended to `%post` and run from the app folder `/scif/apps/NAME`.' },
  apprun: {
    summary: 'SCIF app: what `apptainer run --app NAME` executes.',
    detail: 'Written with a fixed `#!/bin/sh` header; a `#!` line in the body is not honoured.',
  },
  appenv: { summary: 'SCIF app: environment sourced for the app.', detail: 'Becomes `/scif/apps/NAME/scif/env/90-environment.sh`.' },
  applabels: { summary: 'SCIF app: labels (`KEY value` per line).', detail: 'Parsed like `%labels`; `SCIF_APP_NAME` is added.' },
  appfiles: {
    summary: 'SCIF app: files copied from the host.',
    detail: '`SOURCE [DESTINATION]` per line, the destination relative to `/scif/apps/NAME`; text after `#` is cut.',
  },
  apphelp: { summary: 'SCIF app: help text.', detail: 'Shown by `apptainer run-help --app NAME`.' },
  apptest: { summary: 'SCIF app: test script.', detail: 'Run by `apptainer test --app NAME`.' },
  appstart: { summary: 'SCIF app: instance start script.', detail: 'Used by `apptainer instance start --app NAME`.' },
};

/** App sections (`%appinstall NAME`...) are the ones the vocabulary calls app sections. */
export const SECTION_DOCS: readonly SectionDoc[] = Object.entries(SECTION_TEXT).map(([name, text]) => ({ name, app: isAppSectionName(name), ...text }));

export interface HeaderKeyDoc {
  key: string;
  summary: string;
  /** Agents that read the key (empty: all / none). */
  agents: string[];
}

const KEY_SUMMARIES: Record<string, [string, string[]]> = {
  bootstrap: ['Selects the bootstrap agent (where the base system comes from). Starts a new stage when written at the start of a line as `Bootstrap:`.', []],
  from: [
    'The base image or source: an image reference, a library path, a local image or a build-context folder, depending on the agent.',
    ['library', 'oras', 'shub', 'docker', 'docker-archive', 'docker-daemon', 'oci', 'oci-archive', 'localimage', 'buildkit', 'dockerfile'],
  ],
  stage: ['Names this stage so that a later `%files from NAME` can copy out of it.', []],
  includecmd: ['Accepted by the parser but read by nothing: it has no effect.', []],
  mirrorurl: ['URL of the package mirror (or of the busybox binary).', ['busybox', 'debootstrap', 'yum', 'dnf', 'zypper']],
  updateurl: ['URL of an update repository.', ['yum', 'dnf', 'zypper']],
  osversion: [
    'Release to install (e.g. `bookworm`, `9`); yum/dnf only use it when the mirror URL contains `%{OSVERSION}`.',
    ['debootstrap', 'yum', 'dnf', 'zypper'],
  ],
  include: ['Extra packages to install during the bootstrap (space-separated).', ['debootstrap', 'yum', 'dnf', 'zypper', 'arch']],
  library: ['Library service URL for `library://` images.', ['library']],
  registry: ['Registry host put in front of `From` (e.g. `quay.io`).', ['docker', 'docker-archive', 'docker-daemon', 'oci', 'oci-archive']],
  namespace: ['Namespace put in front of `From` (after `Registry`).', ['docker', 'docker-archive', 'docker-daemon', 'oci', 'oci-archive']],
  fingerprints: ['Comma-separated signing-key fingerprints the SIF source image must be signed with.', ['library', 'oras', 'shub', 'localimage']],
  product: ['SLE product to register (with `User` and `Regcode`).', ['zypper']],
  user: ['SLE registration user.', ['zypper']],
  regcode: ['SLE registration code (ends up in the image labels: treat as public).', ['zypper']],
  productpgp: ['PGP key of the SLE product (multi-line through `\\n\\` continuations).', ['zypper']],
  registerurl: ['SLE registration server URL.', ['zypper']],
  modules: ['Comma-separated SLE modules to enable.', ['zypper']],
  confurl: ['URL of the `pacman.conf` to use.', ['arch']],
  setopt: ['One value passed as `--setopt` to yum/dnf.', ['yum', 'dnf']],
  target: ['Build target of the Dockerfile.', ['buildkit', 'dockerfile']],
  frontend: ['BuildKit frontend (default `dockerfile.v0`).', ['buildkit', 'dockerfile']],
  filename: ['Dockerfile name inside the build context (default `Dockerfile`).', ['buildkit', 'dockerfile']],
  buildargs: ['`KEY=VALUE` pairs separated by single spaces, passed as Dockerfile build args.', ['buildkit', 'dockerfile']],
};

export const HEADER_KEY_DOCS: readonly HeaderKeyDoc[] = Object.entries(CANONICAL_HEADER_KEYS).map(([lower, key]) => ({
  key,
  summary: KEY_SUMMARIES[lower]?.[0] ?? '',
  agents: KEY_SUMMARIES[lower]?.[1] ?? [],
}));

const OTHERURL_DOC: HeaderKeyDoc = {
  key: 'OtherURL<N>',
  summary: 'Extra zypper repositories, numbered from 0 or 1 without gaps (at most 20).',
  agents: ['zypper'],
};

export function headerKeyDoc(key: string): HeaderKeyDoc | undefined {
  const lower = key.trim().toLowerCase();
  if (/^otherurl\d+$/.test(lower)) return OTHERURL_DOC;
  const canonical = CANONICAL_HEADER_KEYS[lower];
  return canonical ? HEADER_KEY_DOCS.find((doc) => doc.key === canonical) : undefined;
}

export interface AgentDoc {
  name: string;
  summary: string;
  required: string[];
  optional: string[];
  deprecated?: boolean;
}

export const AGENT_DOCS: readonly AgentDoc[] = [
  { name: 'docker', summary: 'Image from a Docker/OCI registry (`From: ubuntu:24.04`).', required: ['From'], optional: ['Registry', 'Namespace'] },
  { name: 'library', summary: 'SIF image from a Sylabs-compatible library.', required: ['From'], optional: ['Library', 'Fingerprints'] },
  { name: 'oras', summary: 'SIF image from an OCI registry through ORAS (`From` without `oras://`).', required: ['From'], optional: ['Fingerprints'] },
  { name: 'shub', summary: 'Image from Singularity Hub, which is gone.', required: ['From'], optional: ['Fingerprints'], deprecated: true },
  { name: 'localimage', summary: 'A SIF, squashfs, ext3 image or sandbox folder on the build host.', required: ['From'], optional: ['Fingerprints'] },
  { name: 'docker-archive', summary: 'A `docker save` tar archive.', required: ['From'], optional: [] },
  { name: 'docker-daemon', summary: 'An image from the local Docker daemon.', required: ['From'], optional: [] },
  { name: 'oci', summary: 'An OCI layout folder.', required: ['From'], optional: [] },
  { name: 'oci-archive', summary: 'An OCI layout tar archive.', required: ['From'], optional: [] },
  { name: 'debootstrap', summary: 'Debian/Ubuntu system built with debootstrap (needs root).', required: ['MirrorURL', 'OSVersion'], optional: ['Include'] },
  { name: 'yum', summary: 'RPM system built with yum/dnf.', required: ['MirrorURL'], optional: ['OSVersion', 'UpdateURL', 'Include', 'Setopt'] },
  { name: 'dnf', summary: 'Alias of `yum`.', required: ['MirrorURL'], optional: ['OSVersion', 'UpdateURL', 'Include', 'Setopt'] },
  {
    name: 'zypper',
    summary: 'openSUSE/SLE system built with zypper.',
    required: [],
    optional: ['MirrorURL', 'UpdateURL', 'OSVersion', 'Include', 'Product', 'User', 'Regcode', 'ProductPGP', 'RegisterURL', 'Modules', 'OtherURL<N>'],
  },
  { name: 'arch', summary: 'Arch Linux system built with pacstrap (amd64 only).', required: [], optional: ['ConfURL', 'Include'] },
  { name: 'busybox', summary: 'Minimal system from a busybox binary.', required: ['MirrorURL'], optional: [] },
  { name: 'scratch', summary: 'An empty root file system: add everything with `%setup`/`%files`.', required: [], optional: [] },
  {
    name: 'buildkit',
    summary: 'Builds a Dockerfile with BuildKit (`From` is the build-context folder).',
    required: ['From'],
    optional: ['Target', 'Frontend', 'Filename', 'Buildargs'],
  },
  { name: 'dockerfile', summary: 'Alias of `buildkit`.', required: ['From'], optional: ['Target', 'Frontend', 'Filename', 'Buildargs'] },
];

export function agentDoc(name: string): AgentDoc | undefined {
  // Apptainer compares the agent name case-sensitively.
  return AGENT_DOCS.find((doc) => doc.name === name.trim());
}

export function sectionDoc(name: string): SectionDoc | undefined {
  return SECTION_DOCS.find((doc) => doc.name === name.toLowerCase());
}

export function sectionMarkdown(doc: SectionDoc): string {
  const usage = doc.app ? `%${doc.name} APPNAME` : doc.name === 'files' ? '%files [from STAGE]' : `%${doc.name}`;
  return `**\`${usage}\`** — ${doc.summary}\n\n${doc.detail}`;
}

export function headerKeyMarkdown(doc: HeaderKeyDoc): string {
  const readers = doc.agents.length > 0 ? `\n\nRead by: ${doc.agents.map((a) => `\`${a}\``).join(', ')}.` : '';
  return `**\`${doc.key}:\`** — ${doc.summary}${readers}`;
}

export function agentMarkdown(doc: AgentDoc): string {
  const lines = [`**\`Bootstrap: ${doc.name}\`**${doc.deprecated ? ' (deprecated)' : ''} — ${doc.summary}`];
  if (doc.required.length > 0) lines.push(`Required: ${doc.required.map((k) => `\`${k}\``).join(', ')}.`);
  if (doc.optional.length > 0) lines.push(`Optional: ${doc.optional.map((k) => `\`${k}\``).join(', ')}.`);
  return lines.join('\n\n');
}
