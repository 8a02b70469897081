// A single-node Slurm for the e2e tests: munged, slurmctld and slurmd with a generated
// configuration in a temporary folder. Every daemon runs in the foreground as our child, so
// `stop()` can end exactly the processes it started (by pid), also after a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import { run } from './process.js';
import { skipOrFail } from './workspace.js';

export interface Cluster {
  dir: string;
  nodeName: string;
  /** Environment for Slurm client commands (SLURM_CONF). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const DAEMONS = ['munged', 'slurmctld', 'slurmd', 'sinfo', 'sbatch', 'srun'];

/** Why a local Slurm cannot be started here, or null. */
export async function clusterSkipReason(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'the Slurm fixture needs root (slurmd runs jobs as root and chroots)';
  for (const tool of DAEMONS) {
    if ((await run(['sh', '-c', `command -v ${tool}`])).code !== 0) {
      return `${tool} is not installed (apt-get install slurm-wlm munge libpmix2)`;
    }
  }
  return null;
}

/** Two free TCP ports, so the fixture never collides with another Slurm on the machine. */
async function freePorts(): Promise<[number, number]> {
  const net = await import('node:net');
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
  const first = await one();
  let second = await one();
  while (second === first) second = await one();
  return [first, second];
}

function slurmConf(opts: { dir: string; nodeName: string; cpus: number; ctldPort: number; slurmdPort: number }): string {
  const { dir } = opts;
  return [
    'ClusterName=e2e',
    `SlurmctldHost=${opts.nodeName}`,
    `SlurmctldPort=${opts.ctldPort}`,
    `SlurmdPort=${opts.slurmdPort}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    `AuthInfo=socket=${dir}/munge/munge.socket`,
    'CredType=cred/munge',
    // No cgroups in a CI container: plain process tracking, no task binding.
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'SchedulerType=sched/backfill',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_CPU',
    'MpiDefault=none',
    'ReturnToService=2',
    // The node may advertise more CPUs than it has, so a 2-task job also fits a 1-core runner.
    'SlurmdParameters=config_overrides',
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    `SlurmdLogFile=${dir}/slurmd.log`,
    'SlurmctldDebug=info',
    'SlurmdDebug=info',
    `NodeName=${opts.nodeName} CPUs=${opts.cpus} State=UNKNOWN`,
    `PartitionName=e2e Nodes=${opts.nodeName} Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES`,
    '',
  ].join('\n');
}

/**
 * Starts munged, slurmctld and slurmd and waits until the node is idle. The folder lives
 * under /tmp on purpose: the runtime stand-in binds /tmp into every container (as Apptainer
 * does), so the PMI sockets slurmd creates in its spool folder are visible inside the image.
 */
export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(path.join('/tmp', 'e2e-slurm-'));
  for (const sub of ['munge', 'state', 'spool']) mkdirSync(path.join(dir, sub), { recursive: true });
  const nodeName = (await run(['hostname', '-s'])).stdout.trim() || os.hostname().split('.')[0];
  const [ctldPort, slurmdPort] = await freePorts();
  const conf = path.join(dir, 'slurm.conf');
  writeFileSync(conf, slurmConf({ dir, nodeName, cpus: Math.max(os.cpus().length, 4), ctldPort, slurmdPort }));
  writeFileSync(path.join(dir, 'munge/munge.key'), randomBytes(1024), { mode: 0o400 });

  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const start = (name: string, argv: string[]) => {
    const log = openSync(path.join(dir, `${name}.out`), 'a');
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', log, log] });
    child.on('error', () => undefined); // reported through the readiness check below
    children.push(child);
  };

  // Last resort if the test process exits without calling stop(): never leave daemons behind.
  const killOnExit = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!process.env.APPTAINER_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };

  try {
    start('munged', [
      'munged',
      '--foreground',
      '--force',
      `--key-file=${dir}/munge/munge.key`,
      `--socket=${dir}/munge/munge.socket`,
      `--pid-file=${dir}/munge/munged.pid`,
      `--log-file=${dir}/munge/munged.log`,
      `--seed-file=${dir}/munge/munged.seed`,
    ]);
    await waitFor('munged socket', () => existsSync(`${dir}/munge/munge.socket`), 15_000, dir);
    start('slurmctld', ['slurmctld', '-D', '-i', '-f', conf]);
    start('slurmd', ['slurmd', '-D', '-f', conf]);
    await waitFor(
      `node ${nodeName} idle`,
      async () => {
        const res = await run(['sinfo', '-h', '-N', '-n', nodeName, '-o', '%T'], { env });
        return res.code === 0 && res.stdout.trim() === 'idle';
      },
      60_000,
      dir,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { dir, nodeName, env, stop };
}

async function waitFor(what: string, ready: () => boolean | Promise<boolean>, timeoutMs: number, dir: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  const logs = ['munge/munged.log', 'slurmctld.log', 'slurmd.log', 'munged.out', 'slurmctld.out', 'slurmd.out']
    .filter((f) => existsSync(path.join(dir, f)))
    .map((f) => `--- ${f}\n${readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-15).join('\n')}`)
    .join('\n');
  throw new Error(`timed out waiting for ${what}\n${logs}`);
}

/** The cluster of one describe block, as its tests see it. */
export interface SuiteCluster {
  /** The running cluster; throws when it did not start (tests call `need(ctx)` first). */
  readonly cluster: Cluster;
  /** Skips the test, with the reason, when the daemons did not start (fails under APPTAINER_E2E_REQUIRE). */
  need(ctx: TestContext): void;
}

/** Starts a single-node Slurm before the describe block's tests and stops it after them. */
export function clusterForSuite(): SuiteCluster {
  let cluster: Cluster | undefined;
  let down: string | null = null;
  beforeAll(async () => {
    try {
      cluster = await startCluster();
    } catch (err) {
      down = `the Slurm daemons did not start: ${(err as Error).message}`;
      skipOrFail(down);
    }
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return {
    get cluster() {
      if (!cluster) throw new Error(down ?? 'the Slurm cluster has not started yet');
      return cluster;
    },
    need(ctx) {
      if (down) ctx.skip(down);
    },
  };
}
