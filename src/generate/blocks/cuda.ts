// CUDA: normally the toolkit comes with an nvidia/cuda base image (devel for building, runtime
// for the final stage). On another base the toolkit is installed from NVIDIA's repository as
// `cuda-toolkit-X-Y`, never the `cuda` metapackage or `cuda-drivers`, which pull in the driver:
// the driver always comes from the host through `--nv`.
import type { Plan } from '../plan.js';
import { emptyBlock, prepend, type Block } from './block.js';
import type { RepoSetup } from '../distro.js';
import { CUDA_REPO_ARCH, componentPackages } from '../../facts/index.js';

/** NVIDIA's CUDA repository directories (https://developer.download.nvidia.com/compute/cuda/repos/). */
const CUDA_REPO_OS: Record<string, string> = { '22.04': 'ubuntu2204', '24.04': 'ubuntu2404', bookworm: 'debian12', el8: 'rhel8', el9: 'rhel9' };

export function usesCudaImage(image: string | undefined): boolean {
  return !!image && /(?:^|\/)cuda:/.test(image);
}

/** NVIDIA's repository directory for the plan's distribution release, when NVIDIA publishes one. */
export function nvidiaRepoOs(plan: Plan): string | undefined {
  return plan.release ? CUDA_REPO_OS[plan.release.id] : undefined;
}

/** The toolkit comes with the base image or from NVIDIA's repository; otherwise there is none. */
export function installsCudaToolkit(plan: Plan): boolean {
  return usesCudaImage(plan.image) || (!!plan.cudaVersion && !!nvidiaRepoOs(plan));
}

export function cuda(plan: Plan): Block {
  const version = plan.cudaVersion ?? '';
  const fromImage = usesCudaImage(plan.image);
  const os = nvidiaRepoOs(plan);
  const block = emptyBlock(
    'cuda',
    'gpu',
    fromImage ? `CUDA ${version} (from the nvidia/cuda base image)` : `CUDA toolkit ${version} (NVIDIA repository, no driver)`,
  );
  if (!installsCudaToolkit(plan)) return block;
  if (!fromImage && os) {
    const [major, minor] = version.split('.');
    const pkg = `cuda-toolkit-${major}-${minor ?? '0'}`;
    const base = `https://developer.download.nvidia.com/compute/cuda/repos/${os}/${CUDA_REPO_ARCH[plan.arch]}`;
    const repo: Partial<Record<'apt' | 'dnf', RepoSetup>> = {
      apt: {
        prereqs: componentPackages('repo-tools', 'build').apt ?? [],
        lines: [
          `curl -fsSL -o /usr/local/src/cuda-keyring.deb ${base}/cuda-keyring_1.1-1_all.deb`,
          'dpkg -i /usr/local/src/cuda-keyring.deb',
          'rm -f /usr/local/src/cuda-keyring.deb',
        ],
      },
      dnf: { prereqs: componentPackages('repo-tools', 'build').dnf ?? [], lines: [`dnf config-manager --add-repo ${base}/cuda-${os}.repo`] },
    };
    block.repo = repo;
    block.buildPackages = { apt: [pkg], dnf: [pkg] };
    // The runtime stage needs the CUDA runtime libraries only.
    const rt = `cuda-libraries-${major}-${minor ?? '0'}`;
    block.runtimePackages = { apt: [rt], dnf: [rt] };
    block.runtimeRepo = repo;
  }
  if (plan.nccl && !fromImage) {
    // NCCL from NVIDIA's CUDA repository (NCCL install guide: libnccl2/libnccl-dev, libnccl/libnccl-devel).
    // The nvidia/cuda images already hold it, pinned with apt-mark hold: installing again could fail.
    block.buildPackages = { apt: [...(block.buildPackages.apt ?? []), 'libnccl-dev'], dnf: [...(block.buildPackages.dnf ?? []), 'libnccl-devel'] };
    block.runtimePackages = { apt: [...(block.runtimePackages.apt ?? []), 'libnccl2'], dnf: [...(block.runtimePackages.dnf ?? []), 'libnccl'] };
  }
  block.env = [['CUDA_HOME', '/usr/local/cuda'], prepend('PATH', '/usr/local/cuda/bin')];
  if (plan.cudaArchs.length) block.env.push(['CUDA_ARCHS', plan.cudaArchs.map((a) => a.replace(/^sm_/, '')).join(';')]);
  // The final image has the CUDA runtime (runtime image or cuda-libraries-X-Y), not nvcc.
  block.tests = ['test -d /usr/local/cuda'];
  if (plan.nccl) {
    block.tests.push(
      'nccl_libs=$(ldconfig -p)',
      'case "$nccl_libs" in',
      '  *libnccl.so.2*) echo "ok: NCCL (libnccl.so.2)" ;;',
      '  *) echo "%test: libnccl.so.2 is not in the linker cache" >&2; exit 1 ;;',
      'esac',
    );
  }
  return block;
}
