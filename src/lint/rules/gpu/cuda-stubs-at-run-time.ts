// DEF757 cuda-stubs-at-run-time: CUDA's `lib64/stubs` on the run-time LD_LIBRARY_PATH.
import { isEnvironmentSection, shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const cudaStubsAtRunTime = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!isEnvironmentSection(script.section)) return;
      for (const a of shellDetails(script).assignments) {
        if (a.name === 'LD_LIBRARY_PATH' && STUBS.test(a.value)) ctx.report({ messageId: 'runtimePath', range: a.range });
      }
    },
    // `echo 'export LD_LIBRARY_PATH=.../stubs:...' >> $APPTAINER_ENVIRONMENT` in a build script.
    command(cmd, script) {
      if (isEnvironmentSection(script.section) || !cmd.redirects.some((r) => /(APPTAINER|SINGULARITY)_ENVIRONMENT/.test(r.target))) return;
      const word = cmd.args.find((w) => /LD_LIBRARY_PATH=/.test(w.raw) && STUBS.test(w.raw.slice(w.raw.indexOf('LD_LIBRARY_PATH='))));
      if (word) ctx.report({ messageId: 'writtenToEnvironment', range: word.range });
    },
  }),
  meta: {
    id: 'DEF757',
    slug: 'cuda-stubs-at-run-time',
    group: 'gpu',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'hpc'],
    summary: "CUDA's `lib64/stubs` on the run-time LD_LIBRARY_PATH hides the host driver's libcuda.",
    description: [
      '`/usr/local/cuda/lib64/stubs` holds a `libcuda.so` that only lets programs **link** without a GPU',
      'driver; it fails every CUDA call ("CUDA driver version is insufficient"/"stub library"). On the',
      'run-time `LD_LIBRARY_PATH` (`%environment`, or written to `$APPTAINER_ENVIRONMENT`) it can be found',
      "before the host driver's `libcuda.so.1` that `--nv` binds in. Use the stubs at link time only",
      '(`-L/usr/local/cuda/lib64/stubs`, or `LIBRARY_PATH` in `%post`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: nvidia/cuda:12.4.1-devel-ubuntu22.04\n\n%environment\n    export LD_LIBRARY_PATH=/usr/local/cuda/lib64/stubs:$LD_LIBRARY_PATH\n',
    good: 'Bootstrap: docker\nFrom: nvidia/cuda:12.4.1-devel-ubuntu22.04\n\n%environment\n    export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH\n',
    source: 'NVIDIA CUDA Toolkit: lib64/stubs are link-time stubs (CUDA Driver API docs, "stub library"); AP-GPU (--nv binds the host libcuda)',
    needsShell: true,
    messages: {
      runtimePath: 'CUDA stub libraries on the run-time LD_LIBRARY_PATH: their libcuda.so fails every CUDA call and can hide the host driver.',
      writtenToEnvironment: 'CUDA stub libraries written to the run-time LD_LIBRARY_PATH: their libcuda.so fails every CUDA call and can hide the host driver.',
    },
  },
});

const STUBS = /(^|[:=/"'])[^:"'\s]*\/stubs\/?($|[:"'\s])/;
