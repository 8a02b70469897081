// `apptainer-gen explain RULE`: a rule's documentation (id, slug or ShellCheck code).
import { findRule, isShellCheckCode, suggestRuleNames } from '../../lint/registry.js';
import { renderRuleText, shellCheckDocsUrl } from '../../lint/rule-docs.js';

export async function run(argv: string[]): Promise<number> {
  const names = argv.filter((arg) => !arg.startsWith('-'));
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write('Usage: apptainer-gen explain RULE...\n\nShows the documentation of rules named by id (DEF201) or slug (files-extra-fields).\n');
    return 0;
  }
  if (names.length === 0 || names.length !== argv.length) {
    process.stderr.write('Usage: apptainer-gen explain RULE...\n');
    return 2;
  }
  let status = 0;
  for (const name of names) {
    const rule = findRule(name);
    if (rule) {
      process.stdout.write(renderRuleText(rule));
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
