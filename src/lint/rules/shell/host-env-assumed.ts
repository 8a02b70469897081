// DEF313 host-env-assumed: A build section reads a host-only variable (`$USER`, `$SUDO_USER`, CI variables).
import { isEnvironmentSection, runsAtBuild, shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { HOST_VARIABLES } from '../../vocab/shell-build-environment.js';

export const hostEnvAssumed = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!runsAtBuild(script.section) || script.section.name === 'setup' || script.section.name === 'pre') return;
      if (isEnvironmentSection(script.section)) return;
      const details = shellDetails(script);
      const assigned = new Set(details.assignments.map((a) => a.name));
      for (const cmd of script.commands) for (const a of cmd.assignments) assigned.add(a.name);
      for (const ref of details.variables) {
        if (!HOST_VARIABLES.test(ref.name) || assigned.has(ref.name)) continue;
        ctx.report({
          messageId: 'comesFromHostSession',
          data: { ref: ref.name, section: script.section.name },
          range: ref.range,
        });
      }
    },
  }),
  meta: {
    id: 'DEF313',
    slug: 'host-env-assumed',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'A build section reads a host-only variable (`$USER`, `$SUDO_USER`, CI variables).',
    description: [
      '`%post` runs with a clean environment: `$USER`, `$SUDO_USER`, `$DISPLAY` and CI variables',
      'such as `$GITHUB_SHA` are not passed in, so they expand to nothing. Pass such values with',
      'a `{{ NAME }}` build argument (`--build-arg NAME=...`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo "built by $USER" > /opt/BUILD_INFO\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%arguments\n    BUILDER=unknown\n\n%post\n    echo "built by {{ BUILDER }}" > /opt/BUILD_INFO\n',
    source: 'AP-DEF (%post clean env); apptainer/singularity#732',
    needsShell: true,
    messages: {
      comesFromHostSession: '${{ ref }} comes from the host session, but %{{ section }} runs with a clean environment: it is empty here.',
    },
  },
});
