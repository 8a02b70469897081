// CUDA: normally the toolkit comes with an nvidia/cuda base image (devel for building, runtime
// for the final stage). On another base the toolkit is installed from NVIDIA's repository as
// `cuda-toolkit-X-Y`, never the `cuda` metapackage or `cuda-drivers`, which pull in the driver:
// the driver always comes from the host through `--nv`.
import type { Plan } from '../plan.js';
import { emptyBlock, prepend, type Block } from './block.js';
import type { RepoSetup } from '../distro.js';

export function usesCudaImage(image: string | undefined): boolean {
  return !!image && /(?:^|\/)cuda:/.test(image);
}

function nvidiaRepoOs(plan: Plan): string | undefined {
  const image = plan.image ?? '';
  if (plan.distro === 'ubuntu') {
    const m = /(\d\d)\.?(\d\d)/.exec(image);
    return m ? `ubuntu${m[1]}${m[2]}` : 'ubuntu2204';
  }
  if (plan.distro === 'debian') return 'debian12';
  if (plan.distro === 'el8') return 'rhel8';
  if (plan.distro === 'el9') return 'rhel9';
  return undefined;
}

export function cuda(plan: Plan): Block {
  const version = plan.cudaVersion ?? '';
  const block = emptyBlock('cuda', 'gpu', usesCudaImage(plan.image) ? `CUDA ${version} (from the nvidia/cuda base image)` : `CUDA toolkit ${version} (NVIDIA repository, no driver)`);
  if (!usesCudaImage(plan.image) && version) {
    const [major, minor] = version.split('.');
    const pkg = `cuda-toolkit-${major}-${minor ?? '0'}`;
    const os = nvidiaRepoOs(plan);
    const base = `https://developer.download.nvidia.com/compute/cuda/repos/${os}/x86_64`;
    const repo: Partial<Record<'apt' | 'dnf', RepoSetup>> = {
      apt: {
        prereqs: ['ca-certificates', 'curl'],
        lines: [
          `curl -fsSL -o /usr/local/src/cuda-keyring.deb ${base}/cuda-keyring_1.1-1_all.deb`,
          'dpkg -i /usr/local/src/cuda-keyring.deb',
          'rm -f /usr/local/src/cuda-keyring.deb',
        ],
      },
      dnf: { prereqs: ['dnf-plugins-core'], lines: [`dnf config-manager --add-repo ${base}/cuda-${os}.repo`] },
    };
    block.repo = repo;
    block.buildPackages = { apt: [pkg], dnf: [pkg] };
    // The runtime stage needs the CUDA runtime libraries only.
    const rt = `cuda-libraries-${major}-${minor ?? '0'}`;
    block.runtimePackages = { apt: [rt], dnf: [rt] };
    block.runtimeRepo = repo;
  }
  block.env = [['CUDA_HOME', '/usr/local/cuda'], prepend('PATH', '/usr/local/cuda/bin')];
  if (plan.cudaArchs.length) block.env.push(['CUDA_ARCHS', plan.cudaArchs.map((a) => a.replace(/^sm_/, '')).join(';')]);
  block.tests = ['test -d /usr/local/cuda'];
  return block;
}
