// DEF703: MPI fetched without an explicit version (git default branch, spack/conda/pip without a version).
import type { ShellCommand, ShellWord } from '../../types.js';
import { isGitClone, positionalArgs, urlArgs, isCurlOrWget } from '../../shell/commands.js';
import { baseNameOf, isBuildSection, languageMpiPackage, mpiFamilyOfDirName, packageInstall } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpiVersionUnpinned = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!isBuildSection(script.section)) return;
      const commands = script.commands;
      // A checkout anywhere after the clone pins it; remember where the last one is (linear).
      let lastCheckout = -1;
      commands.forEach((cmd, index) => {
        if (isCheckout(cmd)) lastCheckout = index;
      });
      commands.forEach((cmd, index) => {
        if (!isGitClone(cmd)) return;
        const url = cloneUrl(cmd);
        if (!url || !url.isStatic || !MPI_REPO.test(url.text.replace(/\/$/, ''))) return;
        const ref = cloneRef(cmd);
        if (ref !== undefined && (isReleaseRef(ref) || ref.includes('$'))) return;
        if (lastCheckout > index) return;
        ctx.report({
          messageId: 'mpiClonedFromVersion',
          data: { branch: ref ? `branch '${ref}'` : 'the default branch' },
          range: url.range,
        });
      });
    },
    command(cmd, script) {
      if (!isBuildSection(script.section)) return;
      if (isCurlOrWget(cmd)) {
        for (const url of urlArgs(cmd)) {
          if (url.isStatic && isMovingDownload(url.text)) ctx.report({ messageId: 'mpiDownloadedFromMoving', range: url.range });
        }
      }
      const install = packageInstall(cmd);
      if (!install || (install.manager !== 'spack' && install.manager !== 'conda' && install.manager !== 'pip')) return;
      for (const pkg of install.packages) {
        if (!languageMpiPackage(pkg.name) || pkg.version || !pkg.word.isStatic) continue;
        const how = install.manager === 'spack' ? `${pkg.name}@X.Y.Z` : install.manager === 'conda' ? `${pkg.name}=X.Y.Z` : `${pkg.name}==X.Y.Z`;
        ctx.report({
          messageId: 'installsWithoutVersionPin',
          data: { manager: install.manager, pkg: pkg.name, how },
          range: pkg.word.range,
        });
      }
    },
  }),
  meta: {
    id: 'DEF703',
    slug: 'mpi-version-unpinned',
    group: 'mpi',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended', 'hpc'],
    summary: 'MPI fetched without an explicit version (git default branch, spack/conda/pip without a version).',
    description: `The MPI inside an image has to match things outside it: the host MPI (hybrid model), the PMI
flavour and version of the site's Slurm, the fabric libraries. An MPI fetched without a version changes
under you from one build to the next: a \`git clone\` of the Open MPI/MPICH repository's default branch,
a \`main\`/\`master\` archive, \`spack install openmpi\` without \`@version\`, \`conda install mpich\` or
\`pip install mpich\` without \`=version\`.

Clone a release tag (\`git clone -b v4.1.6 ...\` or \`git checkout v4.1.6\` afterwards), download a release
tarball, or write the version in the spec (\`openmpi@4.1.6\`, \`mpich=4.2.0\`, \`mpich==4.2.0\`).
Distro packages are not flagged (the base image's release pins them).`,
    bad: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update && apt-get install -y git build-essential autoconf automake libtool flex
    git clone https://github.com/open-mpi/ompi.git /opt/src/ompi
    cd /opt/src/ompi && ./autogen.pl && ./configure --prefix=/opt/ompi --with-pmix && make -j4 install
`,
    good: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update && apt-get install -y git build-essential autoconf automake libtool flex
    git clone --recursive -b v4.1.6 https://github.com/open-mpi/ompi.git /opt/src/ompi
    cd /opt/src/ompi && ./autogen.pl && ./configure --prefix=/opt/ompi --with-pmix && make -j4 install
`,
    source: 'Apptainer user guide "MPI" (versions must match); IMTEK-Simulation/code-snippets README',
    needsShell: true,
    messages: {
      mpiClonedFromVersion: 'MPI cloned from {{ branch }}: the version changes between builds; clone a release tag (git clone -b vX.Y.Z ...).',
      mpiDownloadedFromMoving: 'MPI downloaded from a moving branch or "latest" archive: download a release tarball with its version.',
      installsWithoutVersionPin: "{{ manager }} installs '{{ pkg }}' without a version: pin it ({{ how }}) so the MPI matches the cluster.",
    },
  },
});

/** Repositories of MPI implementations. */
const MPI_REPO = /(open-mpi\/ompi|pmodels\/mpich|mvapich[^/]*\/mvapich|\/ompi(\.git)?$|\/mpich(\.git)?$|\/mvapich2?(\.git)?$)/i;

const GIT_GLOBAL_VALUED = ['-c', '-C', '--git-dir', '--work-tree'];
const CLONE_VALUED = [
  '-b',
  '--branch',
  '-o',
  '--origin',
  '--depth',
  '--reference',
  '-j',
  '--jobs',
  '--filter',
  '--template',
  '-u',
  '--upload-pack',
  '--separate-git-dir',
  '--shallow-since',
  '--shallow-exclude',
];

function cloneUrl(cmd: ShellCommand): ShellWord | undefined {
  const positional = positionalArgs(cmd.args, GIT_GLOBAL_VALUED);
  const after = positional[0]?.text === 'clone' ? cmd.args.slice(cmd.args.indexOf(positional[0]) + 1) : [];
  return positionalArgs(after, CLONE_VALUED)[0];
}

function cloneRef(cmd: ShellCommand): string | undefined {
  for (let i = 0; i < cmd.args.length; i++) {
    const t = cmd.args[i].text;
    if (t === '-b' || t === '--branch') return cmd.args[i + 1]?.text;
    if (t.startsWith('--branch=')) return t.slice('--branch='.length);
  }
  return undefined;
}

/** A ref that names a release rather than a moving branch. */
function isReleaseRef(ref: string): boolean {
  return /\d/.test(ref) && !/^(main|master|develop|HEAD)$/.test(ref);
}

/** `git checkout v4.1.6`, `git -C ompi switch --detach v5.0.3`, `git reset --hard <sha>`. */
function isCheckout(cmd: ShellCommand): boolean {
  if (cmd.baseName !== 'git') return false;
  const positional = positionalArgs(cmd.args, GIT_GLOBAL_VALUED);
  const sub = positional[0]?.text;
  return (sub === 'checkout' || sub === 'switch' || sub === 'reset') && positional.slice(1).some((w) => !w.text.startsWith('-'));
}

/** Archive URLs of a moving branch (`.../ompi/archive/main.tar.gz`, `openmpi-latest.tar.gz`). */
function isMovingDownload(url: string): boolean {
  const file = baseNameOf(url.replace(/[?#].*$/, ''));
  if (/\/(open-mpi\/ompi|pmodels\/mpich)\/(archive|tarball|zipball)\//i.test(url)) return !/\d/.test(file) || /^(main|master)\b/.test(file);
  const family = mpiFamilyOfDirName(file);
  return family !== undefined && /\.(tar\.(gz|bz2|xz)|tgz|tbz2|zip)$/.test(file) && !/\d/.test(file.replace(/^mpich2|^mvapich2/i, ''));
}
