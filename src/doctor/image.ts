// What the image needs from the host, read from its definition file through the project's parser
// (the final stage's org.apptainer-gen.* labels, its `From:` and %environment) or from
// `apptainer inspect --json IMAGE.sif` output (the labels Apptainer stored in the SIF, plus the
// embedded def file when present). Images without generator labels fall back to what the job-script
// check infers from %post (MPI source builds, distro MPI packages).
import { finalStage, parse, type ParsedFile, type Stage } from '../parse/index.js';

export type ImageModel = 'none' | 'hybrid' | 'bind' | 'pmi';
export type ImagePmi = 'pmix' | 'pmi2' | 'pmi1';

export interface ImageMpi {
  model?: ImageModel;
  impl?: string;
  /** The version, or undefined when the image records `distro` or nothing. */
  version?: string;
  abi?: 'openmpi' | 'mpich';
  pmi: ImagePmi[];
  /** The image states it has no PMI client (`org.apptainer-gen.mpi.pmi none`). */
  noPmi: boolean;
  launcher?: 'srun' | 'mpirun';
  fabric: string[];
}

export interface ImageGpu {
  vendor: 'nvidia' | 'amd';
  cuda?: string;
  rocm?: string;
  evidence: string;
}

export interface ImageFacts {
  /** The file the facts come from, as given. */
  file: string;
  /** `labels`: the generator's provenance labels; `inferred`: read from %post; `none`: nothing about MPI. */
  basis: 'labels' | 'inferred' | 'none';
  mpi?: ImageMpi;
  gpu?: ImageGpu;
  /** Where the MPI facts come from, for messages (`app.def:104, label org.apptainer-gen.mpi.pmi=pmi2`). */
  evidence: string;
  /** Default of MPI_DIR in the image's %environment (`${MPI_DIR:-/opt/hostmpi}`), for the bind model. */
  mpiDirDefault?: string;
  /** The definition text, when known (the job-script check needs it). */
  defText?: string;
}

export class ImageInputError extends Error {}

const L = 'org.apptainer-gen.';

interface LabelValue {
  value: string;
  where: string;
}

function defLabels(stage: Stage, file: string): Map<string, LabelValue> {
  const labels = new Map<string, LabelValue>();
  for (const section of stage.sections) {
    if (section.name !== 'labels' || !section.labels) continue;
    for (const e of section.labels) labels.set(e.key.toLowerCase(), { value: e.value.trim(), where: `${file}:${e.range.start.line}` });
  }
  return labels;
}

const MODELS = new Set(['none', 'hybrid', 'bind', 'pmi']);

/** Facts from generator labels; undefined when the image has no MPI labels. */
function mpiFromLabels(labels: Map<string, LabelValue>): { mpi: ImageMpi; evidence: string } | undefined {
  const get = (key: string) => labels.get(L + key)?.value.toLowerCase() || undefined;
  const model = get('mpi.model');
  const pmiLabel = get('mpi.pmi');
  if (!model && !pmiLabel) return undefined;
  const pmi = (pmiLabel ?? '').split(/[\s,]+/).filter((p): p is ImagePmi => p === 'pmix' || p === 'pmi2' || p === 'pmi1');
  const version = labels.get(L + 'mpi.version')?.value;
  const abi = get('mpi.abi');
  const launcher = get('mpi.launcher');
  const mpi: ImageMpi = {
    model: model && MODELS.has(model) ? (model as ImageModel) : undefined,
    impl: get('mpi.impl'),
    version: version && version.toLowerCase() !== 'distro' ? version : undefined,
    abi: abi === 'openmpi' || abi === 'mpich' ? abi : undefined,
    pmi,
    noPmi: pmiLabel === 'none',
    launcher: launcher === 'srun' || launcher === 'mpirun' ? launcher : undefined,
    fabric: (get('mpi.fabric') ?? '').split(/[\s,]+/).filter(Boolean),
  };
  const at = labels.get(L + 'mpi.pmi') ?? labels.get(L + 'mpi.model')!;
  return { mpi, evidence: `${at.where}, labels ${L}mpi.*` };
}

function gpuFrom(labels: Map<string, LabelValue>, from: string | undefined, fromWhere: string): ImageGpu | undefined {
  const vendor = labels.get(L + 'gpu.vendor');
  const cuda = labels.get(L + 'gpu.cuda')?.value;
  const rocm = labels.get(L + 'gpu.rocm')?.value;
  if (vendor?.value === 'nvidia') return { vendor: 'nvidia', cuda, evidence: `${vendor.where}, label ${L}gpu.vendor=nvidia` };
  if (vendor?.value === 'amd') return { vendor: 'amd', rocm, evidence: `${vendor.where}, label ${L}gpu.vendor=amd` };
  if (vendor) return undefined;
  // No generator labels: the usual GPU base images carry the toolkit version in their tag.
  const cudaTag = from ? /(?:^|\/)nvidia\/cuda:(\d+\.\d+(?:\.\d+)?)/.exec(from) : null;
  if (cudaTag) return { vendor: 'nvidia', cuda: cudaTag[1], evidence: `${fromWhere}, From: ${from}` };
  const rocmTag = from ? /(?:^|\/)rocm\/[\w.-]+:(\d+\.\d+(?:\.\d+)?)/.exec(from) : null;
  if (rocmTag) return { vendor: 'amd', rocm: rocmTag[1], evidence: `${fromWhere}, From: ${from}` };
  return undefined;
}

/** `export MPI_DIR="${MPI_DIR:-/opt/hostmpi}"` in an environment script → /opt/hostmpi. */
export function mpiDirDefault(environment: string): string | undefined {
  return /\bMPI_DIR=["']?\$\{MPI_DIR:-([^}"']+)\}/.exec(environment)?.[1];
}

/** Image facts from a definition file's text. */
export async function imageFromDef(text: string, file: string): Promise<ImageFacts> {
  const parsed = parse(text, { filename: file });
  const stage = finalStage(parsed);
  if (!stage) throw new ImageInputError(`${file}:1:1: no build stage found (is this a definition file?)`);
  const labels = defLabels(stage, file);
  const fromEntry = stage.header?.find((h) => h.key === 'from' && !h.dropped);
  const gpu = gpuFrom(labels, fromEntry?.value, fromEntry ? `${file}:${fromEntry.range.start.line}` : file);
  const environment = stage.sections
    .filter((s) => s.name === 'environment')
    .map((s) => s.body)
    .join('\n');
  const base = { file, gpu, mpiDirDefault: mpiDirDefault(environment), defText: text };
  const labelled = mpiFromLabels(labels);
  if (labelled) return { ...base, basis: 'labels', mpi: labelled.mpi, evidence: labelled.evidence };
  return { ...base, ...(await inferredMpi(parsed, file)) };
}

/** The job-script check's inference from %post (loaded only for def files without labels). */
async function inferredMpi(parsed: ParsedFile, file: string): Promise<Pick<ImageFacts, 'basis' | 'mpi' | 'evidence'>> {
  const { imageMpiProfile, parseShellScripts } = await import('./lint-bridge.js');
  const profile = imageMpiProfile(parsed, await parseShellScripts(parsed), file);
  if (!profile) return { basis: 'none', evidence: `${file}: no org.apptainer-gen.mpi.* labels and no MPI build or MPI package in %post` };
  const impl = profile.impl;
  return {
    basis: 'inferred',
    evidence: profile.evidence,
    mpi: {
      model: profile.model,
      impl,
      version: profile.version,
      abi: impl === 'openmpi' ? 'openmpi' : impl ? 'mpich' : undefined,
      pmi: [...profile.pmi],
      noPmi: profile.noPmi,
      fabric: [],
    },
  };
}

/**
 * Facts from `apptainer inspect --json IMAGE.sif` (or `--labels --json`): the labels Apptainer
 * stored, the %environment script and, when present, the embedded definition file.
 */
export async function imageFromInspect(text: string, file: string): Promise<ImageFacts> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ImageInputError(`${file}:1:1: not JSON (expected the output of 'apptainer inspect --json IMAGE.sif'): ${(err as Error).message}`);
  }
  const attributes = pick(data, ['data', 'attributes']) ?? pick(data, ['attributes']) ?? data;
  const rawLabels = pick(attributes, ['labels']) ?? attributes;
  if (!rawLabels || typeof rawLabels !== 'object' || Array.isArray(rawLabels)) {
    throw new ImageInputError(`${file}:1:1: no labels found (expected {"data":{"attributes":{"labels":{...}}}} from 'apptainer inspect --json')`);
  }
  const labels = new Map<string, LabelValue>();
  for (const [key, value] of Object.entries(rawLabels as Record<string, unknown>)) {
    if (typeof value === 'string') labels.set(key.toLowerCase(), { value: value.trim(), where: `${file}` });
  }
  const environment = pick(attributes, ['environment']);
  const deffile = pick(attributes, ['deffile']);
  const embedded = typeof deffile === 'string' && deffile.trim() ? await imageFromDef(deffile, `${file} (embedded def)`) : undefined;
  const gpu = gpuFrom(labels, undefined, file) ?? embedded?.gpu;
  const mpiDir = typeof environment === 'string' ? mpiDirDefault(environment) : embedded?.mpiDirDefault;
  const labelled = mpiFromLabels(labels);
  if (labelled)
    return { file, basis: 'labels', mpi: labelled.mpi, evidence: `${file}, labels ${L}mpi.*`, gpu, mpiDirDefault: mpiDir, defText: embedded?.defText };
  if (embedded) return { ...embedded, file, gpu, mpiDirDefault: mpiDir };
  return { file, basis: 'none', evidence: `${file}: no org.apptainer-gen.mpi.* labels`, gpu, mpiDirDefault: mpiDir };
}

function pick(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A def file, or inspect JSON (by extension `.json`, or by content starting with `{`). */
export async function readImageFacts(text: string, file: string): Promise<ImageFacts> {
  if (/\.json$/i.test(file) || /^\s*\{/.test(text)) return imageFromInspect(text, file);
  return imageFromDef(text, file);
}
