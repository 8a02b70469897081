// Shared by the security rules (DEF506, DEF507, DEF508: permissions, ownership and accounts).
import { hasAnyFlag, optionValue } from '../shell/index.js';
import type { ShellWord } from '../types.js';

/** Scratch places where world-writable (usually sticky) permissions are expected. */
export const SCRATCH = /^\/(tmp|var\/tmp|dev\/shm|run\/lock)(\/|$)/;

/** The numeric mode with world write cleared, or undefined when it is not world-writable. */
export function worldWritableNumeric(mode: string): string | undefined {
  if (!/^[0-7]{3,4}$/.test(mode)) return undefined;
  const digits = mode.split('').map(Number);
  const other = digits[digits.length - 1];
  if ((other & 2) === 0) return undefined;
  if (digits.length === 4 && (digits[0] & 1) === 1) return undefined; // sticky: a shared scratch dir
  digits[digits.length - 1] = other & ~2;
  digits[digits.length - 2] &= ~2;
  return digits.join('');
}

export function isWorldWritableSymbolic(mode: string): boolean {
  // `o+w`, `a+rwx`, `ugo=rw`; a bare `+w` is filtered by the umask and is not world-writable.
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([+=])([rwxXst]*)$/.exec(clause);
    return !!m && /[oa]/.test(m[1]) && m[3].includes('w');
  });
}

/** Service-account-looking `useradd`: no home or a nologin shell, and no explicit system UID. */
export function looksLikeServiceAccount(args: ShellWord[]): boolean {
  const uid = optionValue(args, '-u') ?? optionValue(args, '--uid');
  if (uid !== undefined && /^\d+$/.test(uid) && Number(uid) < 500) return false;
  const shell = optionValue(args, '-s') ?? optionValue(args, '--shell') ?? '';
  return /nologin|\/false$/.test(shell) || hasAnyFlag(args, 'M', 'no-create-home');
}

export const ACCOUNT_FILES = /^\/etc\/(passwd|shadow|group|gshadow)-?$/;
