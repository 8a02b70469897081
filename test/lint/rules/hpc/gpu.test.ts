// GPU rules (DEF751-DEF756): what fires, where, suggestions, and what stays quiet.
import { describe as group, expect, it } from 'vitest';
import { lint } from '../../../../src/lint/index.js';
import { driverPackage } from '../../../../src/lint/rules/gpu/gpu-driver-in-image.js';
import { parseImageRef } from '../../../../src/lint/vocab/base-image.js';
import { baseGlibc } from '../../../../src/lint/rules/gpu/libc-gap.js';
import { def, describe, findings } from './harness.js';

function applyFirstSuggestion(text: string, f: { suggestions?: { edits: { start: number; end: number; text: string }[] }[] }): string {
  const edits = [...(f.suggestions?.[0]?.edits ?? [])].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

group('DEF751 gpu-driver-in-image', () => {
  it('classifies package names', () => {
    for (const name of [
      'nvidia-driver-550',
      'nvidia-driver',
      'cuda-drivers',
      'cuda-drivers-fabricmanager-550',
      'libnvidia-compute-550',
      'libcuda1',
      'nvidia-utils-535',
      'amdgpu-dkms',
      'xserver-xorg-video-nvidia-535',
      'kmod-nvidia-latest-dkms',
    ]) {
      expect(driverPackage(name), name).toBeDefined();
    }
    for (const name of [
      'cuda-toolkit-12-4',
      'cuda-libraries-12-4',
      'cuda-cudart-12-4',
      'nvidia-cuda-toolkit',
      'libnvidia-container-tools',
      'libnvidia-container1',
      'libnvidia-ml-dev',
      'cuda-compat-12-4',
      'libcudnn9-cuda-12',
    ]) {
      expect(driverPackage(name), name).toBeUndefined();
    }
    expect(driverPackage('cuda')?.replacement).toBe('cuda-toolkit');
    expect(driverPackage('cuda-12-4')?.replacement).toBe('cuda-toolkit-12-4');
    expect(driverPackage('cuda-runtime-12-4')?.replacement).toBe('cuda-libraries-12-4');
  });

  it('reports the package word, with a toolkit suggestion for the cuda metapackage', async () => {
    const text = def('apt-get update && apt-get install -y --no-install-recommends cuda-12-4 nvidia-utils-550=550.54.15-0ubuntu1');
    const list = await findings(text, 'DEF751');
    expect(describe(text, list)).toEqual(['5:66 DEF751 "cuda-12-4"', '5:76 DEF751 "nvidia-utils-550=550.54.15-0ubuntu1"']);
    expect(list[0].severity).toBe('warning'); // the harness configures 'warning'
    expect(applyFirstSuggestion(text, list[0])).toContain('--no-install-recommends cuda-toolkit-12-4 nvidia-utils');
    expect(list[1].suggestions).toBeUndefined();
    expect(list[0].fix).toBeUndefined();
  });

  it('is an error by default', async () => {
    const all = await lint(def('dnf -y install cuda-drivers'), { shellcheck: false });
    expect(all.filter((f) => f.ruleId === 'DEF751').map((f) => f.severity)).toEqual(['error']);
  });

  it('flags driver installers and kernel-module commands in build scripts only', async () => {
    const text = def(
      'sh ./NVIDIA-Linux-x86_64-550.54.15.run -s\nmodprobe nvidia\n./cuda_12.4.1_550.54.15_linux.run --silent --driver --toolkit\namdgpu-install --usecase=rocm',
    );
    expect(describe(text, await findings(text, 'DEF751'))).toEqual([
      '5:5 DEF751 "sh"',
      '6:5 DEF751 "modprobe"',
      '7:5 DEF751 "./cuda_12.4.1_550.54.15_linux.run"',
      '8:5 DEF751 "amdgpu-install"',
    ]);
    expect(await findings(def('modprobe nvidia', 'setup'), 'DEF751')).toEqual([]);
    expect(await findings(def('pip install nvidia-driver-fake\nconda install -y cuda'), 'DEF751')).toEqual([]);
  });
});

group('DEF752 hardcoded-visible-devices', () => {
  it('flags fixed values in environment and run sections, with a delete-line suggestion', async () => {
    const text = `${def('export CUDA_VISIBLE_DEVICES=0,1\nexport NVIDIA_VISIBLE_DEVICES=all\nROCR_VISIBLE_DEVICES="0"', 'environment')}`;
    const list = await findings(text, 'DEF752');
    expect(describe(text, list)).toEqual(['5:12 DEF752 "CUDA_VISIBLE_DEVICES=0,1"', '7:5 DEF752 "ROCR_VISIBLE_DEVICES=\\"0\\""']);
    expect(list[0].message).toContain('APPTAINERENV_CUDA_VISIBLE_DEVICES');
    expect(applyFirstSuggestion(text, list[0])).not.toContain('CUDA_VISIBLE_DEVICES');
    expect(applyFirstSuggestion(text, list[0])).toContain('export NVIDIA_VISIBLE_DEVICES=all\n');
  });

  it('leaves run-time values and %post alone', async () => {
    expect(await findings(def('export CUDA_VISIBLE_DEVICES=${SLURM_LOCALID}', 'runscript'), 'DEF752')).toEqual([]);
    expect(await findings(def('export CUDA_VISIBLE_DEVICES=0\npython3 build.py'), 'DEF752')).toEqual([]);
  });
});

group('DEF753 gpu-probe-at-build', () => {
  it('flags unguarded probes in %post/%test', async () => {
    const text = def('nvidia-smi -L\nrocminfo || true\nif rocm-smi; then echo ok; fi');
    expect(describe(text, await findings(text, 'DEF753'))).toEqual(['5:5 DEF753 "nvidia-smi"']);
  });

  it('flags python GPU assertions, not prints', async () => {
    const text = def('python3 -c "import torch; assert torch.cuda.is_available()"\npython3 -c "import torch; print(torch.cuda.is_available())"', 'test');
    expect((await findings(text, 'DEF753')).map((f) => f.range.start.line)).toEqual([5]);
  });

  it('accepts probes in the runscript', async () => {
    expect(await findings(def('nvidia-smi', 'runscript'), 'DEF753')).toEqual([]);
  });
});

group('DEF754 nvidia-env-noop', () => {
  it('flags runtime variables in %environment once, not the bare export', async () => {
    const text = def('NVIDIA_DRIVER_CAPABILITIES=compute,utility\nexport NVIDIA_DRIVER_CAPABILITIES\nexport NVIDIA_REQUIRE_CUDA="cuda>=12.0"', 'environment');
    const list = await findings(text, 'DEF754');
    expect(describe(text, list)).toEqual(['5:5 DEF754 "NVIDIA_DRIVER_CAPABILITIES=compute,utility"', '7:12 DEF754 "NVIDIA_REQUIRE_CUDA=\\"cuda>=12.0\\""']);
    expect(applyFirstSuggestion(text, list[1])).not.toContain('NVIDIA_REQUIRE_CUDA');
  });
});

group('DEF755 gpu-base-unpinned', () => {
  it('parses image references', () => {
    expect(parseImageRef('docker.io/nvidia/cuda:12.4.1-devel-ubuntu22.04')).toEqual({
      repository: 'nvidia/cuda',
      tag: '12.4.1-devel-ubuntu22.04',
      digest: undefined,
    });
    expect(parseImageRef('localhost:5000/rocm/x@sha256:ab')).toEqual({ repository: 'localhost:5000/rocm/x', tag: undefined, digest: 'sha256:ab' });
  });

  it('flags untagged, latest and version-less tags on the From value', async () => {
    for (const [from, expected] of [
      ['nvidia/cuda', 'no tag'],
      ['nvcr.io/nvidia/pytorch:latest', "'latest'"],
      ['nvidia/cuda:devel-ubuntu22.04', 'names no CUDA version'],
      ['rocm/pytorch:latest', "'latest'"],
    ] as const) {
      const text = def('true', 'post', from);
      const list = await findings(text, 'DEF755');
      expect(describe(text, list), from).toEqual([`2:7 DEF755 ${JSON.stringify(from)}`]);
      expect(list[0].message).toContain(expected);
    }
  });

  it('accepts version tags, digests and non-GPU images, and resolves %arguments', async () => {
    for (const from of [
      'nvidia/cuda:11.8.0-base-ubuntu22.04',
      'nvidia/cuda:10.2-devel',
      'rocm/dev-ubuntu-22.04:6.1.2',
      'nvcr.io/nvidia/hpc-benchmarks:24.03',
      'ubuntu:latest',
    ]) {
      expect(await findings(def('true', 'post', from), 'DEF755'), from).toEqual([]);
    }
    const templated = 'Bootstrap: docker\nFrom: nvidia/cuda:{{ TAG }}\n\n%arguments\n    TAG=latest\n';
    expect(await findings(templated, 'DEF755')).toHaveLength(1);
  });
});

group('DEF756 libc-gap', () => {
  it('knows the glibc of common bases', () => {
    expect(baseGlibc('ubuntu', '18.04')?.glibc).toBe('2.27');
    expect(baseGlibc('centos', '7.9.2009')?.glibc).toBe('2.17');
    expect(baseGlibc('nvidia/cuda', '12.4.1-devel-rockylinux9')?.glibc).toBe('2.34');
    expect(baseGlibc('rocm/dev-ubuntu-22.04', '6.1.2')?.glibc).toBe('2.35');
    expect(baseGlibc('debian', 'bookworm-slim')?.glibc).toBe('2.36');
    expect(baseGlibc('alpine', '3.20')).toBeUndefined();
  });

  it('compares with the configured host glibc', async () => {
    const text = def('true', 'post', 'ubuntu:18.04');
    const run = (options?: Record<string, unknown>) =>
      lint(text, { shellcheck: false, config: { rules: { DEF756: options ? ['warning', options] : 'warning' } } }).then((all) =>
        all.filter((f) => f.ruleId === 'DEF756'),
      );
    expect(await run()).toEqual([]);
    const list = await run({ hostGlibc: '2.28' });
    expect(list).toHaveLength(1);
    expect(list[0].message).toContain("glibc 2.27, older than the host's 2.28");
    expect(await run({ hostGlibc: '2.27' })).toEqual([]);
  });
});
