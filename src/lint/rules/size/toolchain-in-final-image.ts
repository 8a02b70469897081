// DEF606 toolchain-in-final-image: Compilers and `-dev` packages installed in the final image and never removed.
import { isBuildSection, isOsPackageInstall, optionValue, packagesInstalled } from '../../shell/index.js';
import { isFinalStage } from '../../vocab/shell-commands.js';
import type { ShellScript } from '../../types.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { TOOLCHAIN, removesPackages } from '../../vocab/size-image-contents.js';

export const toolchainInFinalImage = defineRule({
  create(ctx) {
    const inFinalBuild = (script: ShellScript) => isBuildSection(script.section) && isFinalStage(ctx.file, script.stage);
    // Built when an install first needs it (most files install no build tools).
    let removedNames: Set<string> | undefined;
    const removed = () => (removedNames ??= new Set(ctx.scripts.filter(inFinalBuild).flatMap((s) => removedIn.of(s.commands))));
    // One finding per stage: the first install that leaves build tools behind.
    const reportedStages = new Set<ShellScript['stage']>();
    return {
      script(script) {
        if (!inFinalBuild(script)) return;
        for (const { virtual, toolchain } of toolchainInstalls.of(script.commands)) {
          if (reportedStages.has(script.stage)) return;
          if (virtual && removed().has(virtual)) continue;
          const tools = toolchain.filter((w) => !removed().has(w.text.replace(/[=<>].*$/, '')));
          if (tools.length === 0) continue;
          const names =
            tools
              .slice(0, 4)
              .map((t) => t.text)
              .join(', ') + (tools.length > 4 ? ', ...' : '');
          ctx.report({
            messageId: 'buildToolsStayFinal',
            data: { names },
            range: { start: tools[0].range.start, end: tools[tools.length - 1].range.end },
          });
          reportedStages.add(script.stage);
        }
      },
    };
  },
  meta: {
    id: 'DEF606',
    slug: 'toolchain-in-final-image',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Compilers and `-dev` packages installed in the final image and never removed.',
    description: [
      'Compilers, `build-essential`, `cmake` and `-dev`/`-devel` packages are needed to build the',
      'software, not to run it, and often add hundreds of megabytes. Build in a first stage and copy',
      'the result into a slim final stage with `%files from <stage>`, or remove the build tools at the',
      'end of `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y --no-install-recommends build-essential\n    make -C /opt/src install\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\nStage: build\n\n%post\n    apt-get install -y --no-install-recommends build-essential\n    make -C /opt/src install\n\nBootstrap: docker\nFrom: ubuntu:22.04\nStage: final\n\n%files from build\n    /usr/local/bin/tool /usr/local/bin/tool\n',
    source: 'AP-DEF (multi-stage "slimmer final image"); hpccm practice',
    needsShell: true,
    messages: {
      buildToolsStayFinal:
        'Build tools ({{ names }}) stay in the final image. Build in a separate stage and copy the result with `%files from`, or remove them at the end.',
    },
  },
});

/** A script's OS package installs that name build tools: their `--virtual` name and tool words (kept per commands array). */
const toolchainInstalls = new PerCommands((commands) =>
  commands.flatMap((cmd) => {
    if (!isOsPackageInstall(cmd)) return [];
    const toolchain = packagesInstalled(cmd).filter((w) => w.isStatic && TOOLCHAIN.test(w.text));
    if (toolchain.length === 0) return [];
    return [{ virtual: optionValue(cmd, '--virtual') ?? optionValue(cmd, '-t'), toolchain }];
  }),
);

/** The package names one script's commands remove, versions cut off (kept per commands array). */
const removedIn = new PerCommands((commands) => commands.flatMap(removesPackages).map((p) => p.replace(/[=<>].*$/, '')));
