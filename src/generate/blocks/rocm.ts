// ROCm: taken from an AMD rocm/* base image. apptainer-gen never installs amdgpu-dkms (the kernel
// driver belongs to the host; run with --rocm).
import type { Plan } from '../plan.js';
import { emptyBlock, prepend, type Block } from './block.js';

export function usesRocmImage(image: string | undefined): boolean {
  return !!image && /(?:^|\/)rocm\//.test(image);
}

export function rocm(plan: Plan): Block {
  const block = emptyBlock('rocm', 'gpu', `ROCm ${plan.rocmVersion ?? ''} (from the rocm base image)`.replace(/ +\(/, ' ('));
  block.env = [['ROCM_PATH', '/opt/rocm'], prepend('PATH', '/opt/rocm/bin'), prepend('LD_LIBRARY_PATH', '/opt/rocm/lib')];
  if (plan.rocmArchs.length) block.env.push(['AMDGPU_TARGETS', plan.rocmArchs.join(';')]);
  block.tests = ['test -d /opt/rocm'];
  return block;
}
