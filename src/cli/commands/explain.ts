// `apptainer-gen explain RULE`: a rule's documentation (id, slug or ShellCheck code).
import { findRule, isShellCheckCode, suggestRuleNames } from '../../lint/registry.js';
import { renderRuleText, shellCheckDocsUrl } from '../../lint/rule-docs.js';
import { findJobRule, renderJobRuleText } from '../../lint/job-rules.js';
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';

const EXPLAIN_COMMAND = defineCommand({
  name: 'apptainer-gen explain',
  usage: 'Usage: apptainer-gen explain RULE...\n\nShows the documentation of rules named by id (DEF201) or slug (files-extra-fields).',
  options: {},
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(EXPLAIN_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const names = parsed.positionals;
  if (names.length === 0) return reportUsageError(EXPLAIN_COMMAND, 'no rule given');
  let status = 0;
  for (const name of names) {
    const rule = findRule(name);
    const jobRule = rule ? undefined : findJobRule(name);
    if (rule) {
      process.stdout.write(renderRuleText(rule));
    } else if (jobRule) {
      process.stdout.write(renderJobRuleText(jobRule));
    } else if (isShellCheckCode(name)) {
      process.stdout.write(`${name.toUpperCase()} is a ShellCheck check: ${shellCheckDocsUrl(name)}\n`);
    } else {
      const hint = suggestRuleNames(name)[0];
      process.stderr.write(`apptainer-gen explain: unknown rule '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}\n`);
      status = 2;
    }
  }
  return status;
}
