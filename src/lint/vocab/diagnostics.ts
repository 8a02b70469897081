// Surfacing parser diagnostics: the engine does not report them, the syntax rules do.
import type { ParseDiagnostic } from '../../parse/model.js';
import type { ReportInput, RuleContext } from '../types.js';

/** The message of a rule that surfaces parser diagnostics: the parser's own text (`diagnosticMessage`). */
export const PARSER_MESSAGES = { parserDiagnostic: '{{ message }}' } as const;

/** Message for a parser diagnostic, with Apptainer's own error when it has one. */
export function diagnosticMessage(diagnostic: ParseDiagnostic): string {
  const error = diagnostic.apptainerError;
  if (!error || diagnostic.message.includes('Apptainer') || diagnostic.message.includes(error)) return diagnostic.message;
  return `${diagnostic.message} (Apptainer: ${diagnostic.apptainerError})`;
}

/** The parser's diagnostics carrying this code. */
export function parserDiagnostics(ctx: RuleContext, code: string): ParseDiagnostic[] {
  return ctx.file.diagnostics.filter((diagnostic) => diagnostic.code === code);
}

/**
 * Reports the parser's diagnostics with `code` (unless `skip` says another rule explains the
 * line better) and returns the set of 1-based lines reported, so the rule's own checks can
 * avoid reporting the same line twice.
 */
export function reportParserDiagnostics(
  ctx: RuleContext,
  code: string,
  options: { skip?: (diagnostic: ParseDiagnostic) => boolean; extra?: (diagnostic: ParseDiagnostic) => Partial<ReportInput> } = {},
): Set<number> {
  const lines = new Set<number>();
  for (const diagnostic of parserDiagnostics(ctx, code)) {
    if (options.skip?.(diagnostic)) {
      lines.add(diagnostic.range.start.line);
      continue;
    }
    lines.add(diagnostic.range.start.line);
    ctx.report({ messageId: 'parserDiagnostic', data: { message: diagnosticMessage(diagnostic) }, range: diagnostic.range, ...options.extra?.(diagnostic) });
  }
  return lines;
}
