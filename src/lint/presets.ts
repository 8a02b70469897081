// Presets, derived from rule metadata so a new rule never needs to be listed twice.
//
//   recommended  every rule at its defaultSeverity (rules whose default is `off` stay off, unless
//                their meta.presets lists `recommended`, then they run as warnings).
//   hpc          recommended + rules listing `hpc` in meta.presets (default-off ones as warnings).
//   security     recommended + rules listing `security`, or in the `security` group, likewise.
//   strict       every rule on: `off` and `info` rules become warnings, the rest keep their default.
import type { PresetName, Rule, SeveritySetting } from './types.js';

export const PRESET_NAMES: readonly PresetName[] = ['recommended', 'strict', 'hpc', 'security'];

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

function enabledSeverity(rule: Rule): SeveritySetting {
  return rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity;
}

/** Severity a preset gives a rule, or undefined when the preset leaves it as it was. */
export function presetSeverity(preset: PresetName, rule: Rule): SeveritySetting | undefined {
  const { meta } = rule;
  switch (preset) {
    case 'recommended':
      return meta.presets.includes('recommended') ? enabledSeverity(rule) : meta.defaultSeverity;
    case 'hpc':
      return meta.presets.includes('hpc') ? enabledSeverity(rule) : undefined;
    case 'security':
      return meta.presets.includes('security') || meta.group === 'security' ? enabledSeverity(rule) : undefined;
    case 'strict':
      return meta.defaultSeverity === 'off' || meta.defaultSeverity === 'info' ? 'warning' : meta.defaultSeverity;
  }
}

/**
 * Severities after applying presets in order. `hpc` and `security` build on `recommended`, so
 * `extends: hpc` alone means recommended + hpc.
 */
export function severitiesFor(presets: readonly PresetName[], rules: readonly Rule[]): Map<string, SeveritySetting> {
  const result = new Map<string, SeveritySetting>();
  const chain: PresetName[] = presets.length === 0 ? ['recommended'] : [...presets];
  if (chain[0] !== 'recommended' && chain[0] !== 'strict') chain.unshift('recommended');
  for (const preset of chain) {
    for (const rule of rules) {
      const severity = presetSeverity(preset, rule);
      if (severity !== undefined) result.set(rule.meta.id, severity);
    }
  }
  return result;
}
