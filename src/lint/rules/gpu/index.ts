// GPU rules (DEF75x).
import type { Rule } from '../../types.js';
import { gpuDriverInImage } from './gpu-driver-in-image.js';
import { hardcodedVisibleDevices } from './hardcoded-visible-devices.js';
import { gpuProbeAtBuild } from './gpu-probe-at-build.js';
import { nvidiaEnvNoop } from './nvidia-env-noop.js';
import { gpuBaseUnpinned } from './gpu-base-unpinned.js';
import { libcGap } from './libc-gap.js';

export const rules: Rule[] = [gpuDriverInImage, hardcodedVisibleDevices, gpuProbeAtBuild, nvidiaEnvNoop, gpuBaseUnpinned, libcGap];
