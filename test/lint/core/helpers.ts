import { tempTree as tempFiles } from '../../helpers/temp.js';

/** A fresh temporary directory holding the given files (paths relative to it), removed after the test. */
export function tempTree(files: Record<string, string>): string {
  return tempFiles(files, 'apptainer-lint-');
}

export const SIMPLE_DEF = ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', '    echo hello', ''].join('\n');
