// Output formats. One module per format, loaded only when chosen.
import type { FileResult, Formatter, ReportOptions } from './types.js';

export type { FileResult, ReportOptions } from './types.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'checkstyle', 'gnu', 'github', 'junit', 'codequality'] as const;
export type FormatName = (typeof FORMATS)[number];

export function isFormatName(name: string): name is FormatName {
  return (FORMATS as readonly string[]).includes(name);
}

const loaders: Record<FormatName, () => Promise<{ format: Formatter }>> = {
  stylish: () => import('./stylish.js'),
  json: () => import('./json.js'),
  sarif: () => import('./sarif.js'),
  checkstyle: () => import('./checkstyle.js'),
  gnu: () => import('./gnu.js'),
  github: () => import('./github.js'),
  junit: () => import('./junit.js'),
  codequality: () => import('./codequality.js'),
};

export async function formatResults(format: FormatName, results: FileResult[], options: ReportOptions): Promise<string> {
  const { format: formatter } = await loaders[format]();
  return formatter(results, options);
}
