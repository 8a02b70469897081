// Distributions, their releases and what differs between them: package family, default compiler,
// repository components, library directories per architecture. Every fact names its source.
//
// Sources, as used below:
//   debian-index  Debian's package index of that release (checked in CI: `npm run check:packages`,
//                 scripts/check-package-index.mjs).
//   URLs          a cited document; the families whose indices CI cannot reach (Ubuntu, EL, SUSE).

export type Family = 'apt' | 'dnf' | 'zypper';
export type Distro = 'debian' | 'ubuntu' | 'el8' | 'el9' | 'el10' | 'fedora' | 'opensuse';
export type Arch = 'x86_64' | 'aarch64' | 'ppc64le';

export const ARCHES: readonly Arch[] = ['x86_64', 'aarch64', 'ppc64le'];

export const FAMILY_OF: Record<Distro, Family> = {
  debian: 'apt',
  ubuntu: 'apt',
  el8: 'dnf',
  el9: 'dnf',
  el10: 'dnf',
  fedora: 'dnf',
  opensuse: 'zypper',
};

export interface Release {
  distro: Distro;
  /** Codename or version as the tables use it: `bookworm`, `24.04`, `el9`, `leap15`. */
  id: string;
  /** Major version of the distribution's default gcc/gfortran. */
  gccMajor: number;
  /** Where `gccMajor` comes from. */
  gccSource: string;
  /** Repository components the generator's packages need beyond the image default (Ubuntu `universe`). */
  components?: string[];
  componentsSource?: string;
  /** Release in which Debian-family packages check against a real index in CI. */
  checkedInCi?: boolean;
}

export const RELEASES: readonly Release[] = [
  { distro: 'debian', id: 'bookworm', gccMajor: 12, gccSource: 'debian-index: gcc 4:12.2.0-3 (bookworm)', checkedInCi: true },
  { distro: 'debian', id: 'trixie', gccMajor: 14, gccSource: 'debian-index: gcc 4:14.2.0-1 (trixie)', checkedInCi: true },
  {
    distro: 'ubuntu',
    id: '22.04',
    gccMajor: 11,
    gccSource: 'https://packages.ubuntu.com/jammy/gcc (gcc 4:11.2.0-1ubuntu1)',
    components: ['main', 'universe'],
    componentsSource: 'https://packages.ubuntu.com/jammy/libfabric-dev , https://packages.ubuntu.com/jammy/mpich (section universe)',
  },
  {
    distro: 'ubuntu',
    id: '24.04',
    gccMajor: 13,
    gccSource: 'https://packages.ubuntu.com/noble/gcc (gcc 4:13.2.0-7ubuntu1)',
    components: ['main', 'universe'],
    componentsSource: 'https://packages.ubuntu.com/noble/libfabric-dev , https://packages.ubuntu.com/noble/mpich (section universe)',
  },
  {
    distro: 'el8',
    id: 'el8',
    gccMajor: 8,
    gccSource: 'https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/8/html/developing_c_and_cpp_applications_in_rhel_8/ (system GCC 8.5)',
  },
  {
    distro: 'el9',
    id: 'el9',
    gccMajor: 11,
    gccSource: 'https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/9/html/developing_c_and_cpp_applications_in_rhel_9/ (system GCC 11)',
  },
  {
    distro: 'el10',
    id: 'el10',
    gccMajor: 14,
    gccSource: 'https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/10/html/10.0_release_notes/ (GCC 14)',
  },
  { distro: 'fedora', id: 'fedora', gccMajor: 14, gccSource: 'https://fedoraproject.org/wiki/Changes/GNUToolchainF40 (GCC 14 from Fedora 40)' },
  {
    distro: 'opensuse',
    id: 'leap15',
    gccMajor: 7,
    gccSource: 'https://software.opensuse.org/package/gcc (Leap 15: gcc7 is the system compiler; gcc-fortran follows it)',
  },
];

/** The release assumed when an image or osVersion does not say which (the newest the tables know). */
const DEFAULT_RELEASE: Record<Distro, string> = {
  debian: 'trixie',
  ubuntu: '24.04',
  el8: 'el8',
  el9: 'el9',
  el10: 'el10',
  fedora: 'fedora',
  opensuse: 'leap15',
};

const DEBIAN_NAMES: Record<string, string> = { '12': 'bookworm', '13': 'trixie', bookworm: 'bookworm', trixie: 'trixie' };
const UBUNTU_NAMES: Record<string, string> = { '22.04': '22.04', jammy: '22.04', '24.04': '24.04', noble: '24.04' };

export interface ReleaseChoice {
  release: Release;
  /** False when the hint did not name a release the tables know, so the default was taken. */
  known: boolean;
}

/** The release of a distribution from an image tag (`ubuntu:22.04`, `debian:bookworm-slim`) or an OSVersion. */
export function releaseOf(distro: Distro, hint: string | undefined): ReleaseChoice {
  const text = (hint ?? '').toLowerCase();
  let id: string | undefined;
  if (distro === 'debian') {
    const m = /(bookworm|trixie|(?<![\d.])1[23](?![\d.]))/.exec(text);
    id = m ? DEBIAN_NAMES[m[1]] : undefined;
  } else if (distro === 'ubuntu') {
    const m = /(jammy|noble|2[24]\.04)/.exec(text);
    id = m ? UBUNTU_NAMES[m[1]] : undefined;
  } else {
    id = DEFAULT_RELEASE[distro];
  }
  const release = RELEASES.find((r) => r.distro === distro && r.id === (id ?? DEFAULT_RELEASE[distro]))!;
  return { release, known: id !== undefined };
}

/** Guesses the distribution from an image reference such as `nvidia/cuda:12.4.1-devel-rockylinux9`. */
export function distroFromImage(image: string): Distro | undefined {
  const ref = image.toLowerCase();
  if (/ubuntu/.test(ref)) return 'ubuntu';
  if (/debian|bookworm|bullseye|trixie/.test(ref)) return 'debian';
  if (/fedora/.test(ref)) return 'fedora';
  if (/suse|sles|leap|tumbleweed/.test(ref)) return 'opensuse';
  const el = /(rocky|alma|centos|rhel|ubi|oraclelinux|oracle)\D*?(\d+)/.exec(ref);
  if (el) {
    const major = Number(el[2]);
    if (major === 8) return 'el8';
    if (major === 9) return 'el9';
    if (major === 10) return 'el10';
  }
  return undefined;
}

/**
 * Debian multiarch triplets (Debian's MultiarchSpec, https://wiki.debian.org/Multiarch/Tuples):
 * Debian/Ubuntu install libraries under /usr/lib/<triplet>; RPM distributions use /usr/lib64 on
 * all three 64-bit architectures (Filesystem Hierarchy / Fedora packaging guidelines, %_libdir).
 */
export const MULTIARCH_TRIPLET: Record<Arch, string> = {
  x86_64: 'x86_64-linux-gnu',
  aarch64: 'aarch64-linux-gnu',
  ppc64le: 'powerpc64le-linux-gnu',
};

export function systemLibDir(family: Family, arch: Arch): string {
  return family === 'apt' ? `/usr/lib/${MULTIARCH_TRIPLET[arch]}` : '/usr/lib64';
}

/** gfortran accepts `-fallow-argument-mismatch` from GCC 10 on (GCC 10 release notes, https://gcc.gnu.org/gcc-10/changes.html). */
export const ALLOW_ARGUMENT_MISMATCH_SINCE_GCC = 10;
