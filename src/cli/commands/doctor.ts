// `apptainer-gen doctor [--image app.def|app.sif-inspect.json] [--job job.sh]`: probes this host
// (Slurm's PMI plugins, the host MPI and its ABI, GPU drivers, interconnect) and says whether the
// image fits it, per model, with the reason and the fix. `--write-host host.yaml` records the probe.
// Exit codes: 0 fits, 1 does not fit (or, with --strict, could not decide), 2 usage or input error.
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { errorMessage, readText, writeFileAtomic } from '../io.js';

export const DOCTOR_USAGE = `Usage: apptainer-gen doctor [--image FILE] [--job JOB.sh] [options]

Checks that an image fits the host it will run on. Run it on a login or compute node:
it probes srun --mpi=list and the Slurm version, the host MPI (mpirun --version,
ompi_info, mpichversion, MPI_DIR and its libmpi.so.N), the NVIDIA driver (nvidia-smi),
ROCm (/opt/rocm, rocm-smi, /dev/kfd) and RDMA hints (/sys/class/infiniband, fi_info,
ucx_info). Every probe is optional and time-limited; what cannot be probed is unknown.
The image's MPI model, PMI, ABI and CUDA/ROCm come from the generator's labels (or
are inferred from %post); each model gets a verdict with the reason and the fix.

Options:
  -i, --image FILE      the image's definition file, 'apptainer inspect --json' output,
                        or a .sif (read with 'apptainer inspect --json' when Apptainer is here)
  -j, --job FILE        also check a Slurm job script's launch lines against image and host
      --host FILE       judge against a probe recorded with --write-host instead of this host
      --write-host FILE record this host's probe as YAML (a recipe uses it with 'host: FILE')
  -f, --format FORMAT   text (default) or json
      --timeout SECONDS time limit of each probe command (default 10)
      --strict          exit 1 also when the verdict cannot be decided (unknown facts)
  -h, --help            show this help

Without --image it lists what each MPI model would need on this host.

Exit status: 0 fits, 1 does not fit, 2 usage or input error.`;

const DOCTOR_COMMAND = defineCommand({
  name: 'apptainer-gen doctor',
  usage: DOCTOR_USAGE,
  positionals: false,
  options: {
    image: { type: 'string', short: 'i' },
    job: { type: 'string', short: 'j' },
    host: { type: 'string' },
    'write-host': { type: 'string' },
    format: { type: 'string', short: 'f', choices: ['text', 'json'] },
    timeout: { type: 'string' },
    strict: { type: 'boolean' },
  },
});

function readInput(file: string, what: string): string | number {
  try {
    return readText(file);
  } catch (err) {
    process.stderr.write(`${file === '-' ? '<stdin>' : file}:1:1: cannot read the ${what}: ${errorMessage(err).replace(`${file}: `, '')}\n`);
    return 2;
  }
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(DOCTOR_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const { image: imageFile, job: jobFile, host: hostFile, 'write-host': writeHost, format = 'text', timeout, strict } = parsed.values;
  for (const [name, value] of [
    ['image', imageFile],
    ['job', jobFile],
    ['host', hostFile],
    ['write-host', writeHost],
  ] as const) {
    if (value === '') return reportUsageError(DOCTOR_COMMAND, `option '--${name}' needs a file name`);
  }
  if (hostFile && writeHost) return reportUsageError(DOCTOR_COMMAND, '--write-host records a probe of this host; it cannot be combined with --host');
  if ([imageFile, jobFile, hostFile].filter((f) => f === '-').length > 1) return reportUsageError(DOCTOR_COMMAND, 'only one input can come from stdin');
  const timeoutSeconds = timeout === undefined ? 10 : Number(timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3600) {
    return reportUsageError(DOCTOR_COMMAND, `--timeout must be a number of seconds between 0 and 3600, not '${timeout}'`);
  }

  const { readImageFacts, ImageInputError } = await import('../../doctor/image.js');
  const { realHost, probeCommand } = await import('../../doctor/access.js');
  const access = realHost();
  let image;
  if (imageFile !== undefined) {
    let text: string | number;
    if (/\.sif$/i.test(imageFile)) {
      // A SIF is read through Apptainer itself: its labels, environment and embedded def.
      const inspect = await probeCommand(access, ['apptainer', 'inspect', '--json', imageFile], timeoutSeconds * 1000);
      if (!inspect.ok) {
        process.stderr.write(
          `${imageFile}:1:1: cannot inspect the image (${inspect.reason}); pass 'apptainer inspect --json ${imageFile}' output or the def file instead\n`,
        );
        return 2;
      }
      text = inspect.stdout;
    } else text = readInput(imageFile, 'image (definition file or inspect JSON)');
    if (typeof text === 'number') return text;
    try {
      image = /\.sif$/i.test(imageFile)
        ? await (await import('../../doctor/image.js')).imageFromInspect(text, imageFile)
        : await readImageFacts(text, imageFile === '-' ? '<stdin>' : imageFile);
    } catch (err) {
      if (!(err instanceof ImageInputError)) throw err;
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
  }
  let job;
  if (jobFile !== undefined) {
    const text = readInput(jobFile, 'job script');
    if (typeof text === 'number') return text;
    job = { text, file: jobFile === '-' ? '<stdin>' : jobFile };
  }

  let host;
  if (hostFile !== undefined) {
    const text = readInput(hostFile, 'host file');
    if (typeof text === 'number') return text;
    const { parseHostFile } = await import('../../host/file.js');
    const loaded = parseHostFile(text, hostFile === '-' ? '<stdin>' : hostFile);
    if (!loaded.ok) {
      for (const p of loaded.problems) process.stderr.write(`${p.file}:${p.line}:${p.column}: error: ${p.message}\n`);
      return 2;
    }
    host = loaded.host;
  } else {
    const { probeHost } = await import('../../doctor/probe.js');
    host = await probeHost(access, timeoutSeconds * 1000);
  }

  if (writeHost) {
    const { hostToYaml } = await import('../../host/file.js');
    try {
      writeFileAtomic(writeHost, hostToYaml(host));
    } catch (err) {
      process.stderr.write(`${writeHost}:1:1: cannot write the host file: ${errorMessage(err)}\n`);
      return 2;
    }
  }

  const { judge } = await import('../../doctor/judge.js');
  const result = await judge(host, image, job, hostFile === undefined ? { pathExists: access.exists } : {});
  const { renderJson, renderText } = await import('../../doctor/render.js');
  process.stdout.write(format === 'json' ? renderJson(result) : renderText(result, { showHost: true }));
  if (writeHost && format !== 'json') process.stderr.write(`wrote ${writeHost}\n`);
  if (result.overall === 'does-not-fit') return 1;
  if (strict && result.overall === 'unknown') return 1;
  return 0;
}
