// GPU driver packages: the driver belongs to the host (`--nv` / `--rocm` bind its user-space
// libraries in), so an image must not install it. One classifier, used by the generator's recipe
// check and by the linter's DEF751, so both reject exactly the same names.
//
// Sources: Apptainer user guide "GPU Support" (host driver libraries are bound in and appended to
// LD_LIBRARY_PATH, so copies in the image win); NVIDIA driver installation guide
// (https://docs.nvidia.com/datacenter/tesla/driver-installation-guide/): `cuda-drivers`,
// `nvidia-driver-*`, `nvidia-headless-*`, `nvidia-open*`, `kmod-nvidia-*` are driver packages and
// the `cuda` / `cuda-X-Y` / `cuda-runtime-X-Y` metapackages depend on `cuda-drivers`; AMD ROCm
// install guide (`amdgpu-dkms` is the kernel driver; `amdgpu-install --no-dkms` leaves it out).

export interface DriverVerdict {
  why: string;
  /** A toolkit package to install instead, when there is an obvious one. */
  replacement?: string;
  /** Kernel-side bits rather than driver libraries. */
  kernel?: boolean;
}

const NVIDIA_DRIVER =
  /^(nvidia-driver|cuda-drivers|nvidia-utils|nvidia-compute-utils|nvidia-headless|nvidia-kernel|nvidia-dkms|nvidia-open|kmod-nvidia|xserver-xorg-video-nvidia|nvidia-fabricmanager|nvidia-opencl-icd|nvidia-smi$|nvidia-persistenced$)/;

/**
 * Classifies an OS package name. CUDA toolkit/runtime libraries (cuda-toolkit-*, cuda-libraries-*,
 * cuda-cudart-*) pass, and so does `nvidia-modprobe`: a setuid helper that loads the host's module
 * and creates device nodes, not a driver library that could shadow the host's.
 */
export function driverPackage(name: string): DriverVerdict | undefined {
  if (/^libnvidia-container/.test(name) || name === 'libnvidia-ml-dev') return undefined; // container toolkit, NVML headers
  if (NVIDIA_DRIVER.test(name)) return { why: 'is part of the NVIDIA driver' };
  if (/^libnvidia-/.test(name) || /^libcuda1(-|$)/.test(name) || name === 'libcuda' || name === 'libcuda-devel') return { why: 'is an NVIDIA driver library' };
  let m = /^cuda(-(\d+-\d+))?$/.exec(name);
  if (m) return { why: 'is a metapackage that also installs the NVIDIA driver', replacement: m[2] ? `cuda-toolkit-${m[2]}` : 'cuda-toolkit' };
  m = /^cuda-runtime(-(\d+-\d+))?$/.exec(name);
  if (m) return { why: 'depends on the NVIDIA driver (cuda-drivers)', replacement: m[2] ? `cuda-libraries-${m[2]}` : 'cuda-libraries' };
  if (/^(amdgpu-dkms|rock-dkms)/.test(name)) return { why: 'is the AMD GPU kernel driver (DKMS)' };
  if (name === 'dkms') return { why: 'builds kernel modules (GPU drivers) for the build host', kernel: true };
  return undefined;
}

/** Installer programs that put a GPU driver into the image when run (not package names). */
export const DRIVER_INSTALLER_FILE = /^NVIDIA-Linux-.*\.run$/;
