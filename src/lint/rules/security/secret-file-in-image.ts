// DEF511 secret-file-in-image: a credential file or secret copied into the image's root file system.
import type { Stage } from '../../../parse/model.js';
import { rmTargets } from '../../shell/index.js';
import type { ShellCommand, ShellWord } from '../../types.js';
import { isFinalStage, looksLikeSecretName } from '../../vocab/shell-commands.js';
import { redirectWords, scriptsOfStage } from '../../vocab/shell-tree.js';
import { defineRule } from '../../define-rule.js';

/** Files that hold credentials: netrc, SSH private keys and directories, cloud/registry/tool logins. */
const SECRET_FILE =
  /(^|\/)(\.netrc|_netrc|\.git-credentials|\.pypirc|\.vault-token|\.ssh|\.ssh\/(id_[^/]*|[^/]*_key)|id_(rsa|dsa|ecdsa|ed25519)(_[^/.]*)?|\.aws\/credentials|\.docker\/config\.json|\.kube\/config|\.config\/gcloud(\/[^/]*)?|(\.cache\/)?huggingface\/token|\.huggingface\/token|\.gnupg(\/private-keys-v1\.d)?)\/?$/;
/** Credential directories a file is copied into. */
const DIRECTORIES = /(^|\/)\.(ssh|gnupg|aws|docker|kube)$/;

/** A credential file's path; public keys (`id_ed25519.pub`) are not secrets. */
function isSecretFile(path: string): boolean {
  return SECRET_FILE.test(path) && !/\.pub$/.test(path);
}

/** `$APPTAINER_ROOTFS` / `${SINGULARITY_ROOTFS}` at the start of a path: the container's root in %setup. */
const ROOTFS = /^["']?\$\{?(APPTAINER|SINGULARITY)_ROOTFS\}?/;
/** Commands that copy their operands to the last one. */
const COPIES = new Set(['cp', 'rsync', 'install', 'mv', 'scp', 'ln']);

const unquote = (raw: string) => raw.replace(/["']/g, '');
const baseName = (path: string) => path.replace(/\/+$/, '').split('/').pop() ?? '';

/** A secret's path inside the image (`$APPTAINER_ROOTFS/root/.netrc` → `/root/.netrc`). */
function imagePath(word: ShellWord): string | undefined {
  if (!ROOTFS.test(word.raw)) return undefined;
  return unquote(word.raw.replace(ROOTFS, '')) || '/';
}

interface Leak {
  /** What is written, for the message. */
  what: string;
  /** Where it lands in the image. */
  path: string;
  range: ShellWord['range'];
}

/** What a `%setup` command writes into the root file system that is a secret. */
function setupLeaks(cmd: ShellCommand, redirects: ShellWord[]): Leak[] {
  const leaks: Leak[] = [];
  const operands = cmd.args.filter((a) => !(a.isStatic && a.text.startsWith('-')));
  if (COPIES.has(cmd.baseName) && operands.length >= 2) {
    const target = operands[operands.length - 1];
    const into = imagePath(target);
    if (into !== undefined) {
      for (const source of operands.slice(0, -1)) {
        const text = unquote(source.raw);
        if (!isSecretFile(text) && !isSecretFile(into)) continue;
        const intoDirectory = into.endsWith('/') || DIRECTORIES.test(into) || !SECRET_FILE.test(into);
        leaks.push({ what: text, path: intoDirectory ? `${into.replace(/\/+$/, '')}/${baseName(text)}` : into, range: source.range });
      }
    }
  }
  for (const target of redirects) {
    const into = imagePath(target);
    if (into === undefined) continue;
    // `echo "$GITHUB_TOKEN" > $APPTAINER_ROOTFS/...`, `cat ~/.netrc > $APPTAINER_ROOTFS/root/.netrc`.
    const secretVar = cmd.args.map((a) => /\$\{?(\w+)/.exec(a.raw)?.[1]).find((name) => name && looksLikeSecretName(name));
    const secretSource = cmd.args.find((a) => isSecretFile(unquote(a.raw)));
    if (isSecretFile(into) || secretVar || secretSource) {
      leaks.push({ what: secretVar ? `$${secretVar}` : secretSource ? unquote(secretSource.raw) : `${cmd.baseName} output`, path: into, range: target.range });
    }
  }
  return leaks;
}

export const secretFileInImage = defineRule({
  create(ctx) {
    /** Per final stage: names and paths `rm` removes in its %post (only the final stage is the image). */
    const removed = new Map<Stage, { paths: Set<string>; names: Set<string> }>();
    const removedIn = (stage: Stage) => {
      let found = removed.get(stage);
      if (found) return found;
      found = { paths: new Set(), names: new Set() };
      for (const script of scriptsOfStage(ctx.scripts, stage)) {
        if (script.section.name !== 'post') continue;
        for (const cmd of script.commands) {
          for (const t of rmTargets(cmd)) {
            const text = unquote(t.raw).replace(/\/+$/, '');
            found.paths.add(text.replace(/^(~|\$HOME|\$\{HOME\})(?=\/)/, '/root'));
            found.names.add(baseName(text));
          }
        }
      }
      removed.set(stage, found);
      return found;
    };
    const removedLater = (stage: Stage, path: string) => {
      const { paths, names } = removedIn(stage);
      const clean = path.replace(/\/+$/, '');
      return paths.has(clean) || names.has(baseName(clean)) || [...paths].some((p) => clean.startsWith(`${p}/`));
    };
    return {
      stage(stage) {
        if (!isFinalStage(ctx.file, stage)) return;
        for (const section of stage.sections) {
          if (section.kind !== 'standard' || section.name !== 'files') continue;
          for (const entry of section.files ?? []) {
            if (!isSecretFile(entry.source.replace(/\/+$/, ''))) continue;
            const destination = entry.destination || entry.source;
            if (removedLater(stage, destination) || removedLater(stage, `${destination}/${baseName(entry.source)}`)) continue;
            ctx.report({ messageId: 'filesCopiesSecret', data: { what: entry.source, path: destination }, range: entry.sourceRange });
          }
        }
      },
      script(script) {
        if (script.section.name !== 'setup' || script.section.kind !== 'standard' || !isFinalStage(ctx.file, script.stage)) return;
        for (const cmd of script.commands) {
          if (cmd.baseName === 'rm') continue;
          for (const leak of setupLeaks(cmd, redirectWords(cmd, ctx.file))) {
            if (removedLater(script.stage, leak.path)) continue;
            ctx.report({ messageId: 'setupWritesSecret', data: { what: leak.what, path: leak.path }, range: leak.range });
          }
        }
      },
    };
  },
  meta: {
    id: 'DEF511',
    slug: 'secret-file-in-image',
    group: 'security',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: 'A credential file (`.netrc`, SSH key, cloud or registry login, token) copied into the image.',
    description: [
      "`%setup` runs on the build host with the container's root file system at `$APPTAINER_ROOTFS`:",
      'whatever it copies or writes there is in the image, and so is everything `%files` copies. A',
      '`.netrc`, an SSH private key, `~/.aws/credentials`, `~/.docker/config.json`, a Hugging Face token or',
      'a `$GITHUB_TOKEN` echoed into a file can then be read by anyone who gets the SIF (`apptainer exec',
      'image.sif cat /root/.netrc`, or by unpacking it).',
      '',
      'Pass credentials only for the commands that need them and delete them in the same stage (a SIF',
      'has no layers: a file removed at the end of `%post` is not in the image), use a build stage whose',
      'files are not copied over, or fetch with credentials that are not secret (a read-only deploy token',
      'that is meant to be public). A later `rm` of the file in `%post` of the same stage is recognised.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%setup\n    cp ~/.netrc ${APPTAINER_ROOTFS}/root/.netrc\n\n%post\n    git clone https://git.example.org/group/tool.git /opt/tool\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%setup\n    cp ~/.netrc ${APPTAINER_ROOTFS}/root/.netrc\n\n%post\n    git clone https://git.example.org/group/tool.git /opt/tool\n    rm -f /root/.netrc\n',
    source:
      'Apptainer user guide, "Definition Files": %setup runs on the host, `$APPTAINER_ROOTFS` is the container\'s root file system, %files copies into the image; Docker docs "Build secrets" (https://docs.docker.com/build/building/secrets/): files copied in stay in the image',
    needsShell: true,
    messages: {
      setupWritesSecret:
        '`{{ what }}` is written into the image at {{ path }} by %setup: anyone with the image can read it. Remove it in %post or keep it out of the image.',
      filesCopiesSecret: '%files copies `{{ what }}` into the image at {{ path }}: anyone with the image can read it.',
    },
  },
});
