import { describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import {
  configureFlagValue,
  hasAnyFlag,
  hasConfigureFlag,
  hasOption,
  isAptGet,
  isAptGetInstall,
  isApkAdd,
  isCondaInstall,
  isConfigureScript,
  isCurlOrWget,
  isDnfInstall,
  isGitClone,
  isOsPackageInstall,
  isPipInstall,
  isRecursiveRm,
  isYumInstall,
  isZypperInstall,
  optionValue,
  packageManager,
  packagesInstalled,
  parseShellScripts,
  pipesInto,
  positionalArgs,
  redirectTargets,
  rmTargets,
  subcommand,
  urlArgs,
} from '../../../src/lint/shell/index.js';
import type { ShellCommand } from '../../../src/lint/types.js';

async function commands(lines: string): Promise<ShellCommand[]> {
  const text = `Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n${lines
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;
  const [script] = await parseShellScripts(parse(text));
  return script.commands;
}
async function one(line: string): Promise<ShellCommand> {
  return (await commands(line))[0];
}

describe('flags', () => {
  test('hasAnyFlag: short, combined, long, --long=value, explicit dashes; stops at --', async () => {
    expect(hasAnyFlag(await one('apt-get install -qy x'), 'y')).toBe(true);
    expect(hasAnyFlag(await one('apt-get install --yes x'), 'y', 'yes')).toBe(true);
    expect(hasAnyFlag(await one('apt-get install --assume-yes=true x'), 'assume-yes')).toBe(true);
    expect(hasAnyFlag(await one('apt-get -qq install x'), '-qq')).toBe(true);
    expect(hasAnyFlag(await one('apt-get -q install x'), '-qq')).toBe(false);
    expect(hasAnyFlag(await one('apt-get install x -- -y'), 'y')).toBe(false);
    expect(hasAnyFlag(await one('apt-get -o APT::Get::Assume-Yes=true install x'), 'y')).toBe(false);
    expect(hasAnyFlag(await one('apt-get install "$FLAGS" x'), 'y')).toBe(false);
  });

  test('hasOption and optionValue', async () => {
    const cmd = await one('./configure --prefix=/opt/x --with-pmix --enable-mpi-fortran=all');
    expect(hasOption(cmd, '--with-pmix')).toBe(true);
    expect(hasOption(cmd, 'with-pmi')).toBe(false);
    expect(optionValue(cmd, '--prefix')).toBe('/opt/x');
    expect(optionValue(await one('wget -O out.tgz https://x/y.tgz'), '-O')).toBe('out.tgz');
  });

  test('positionalArgs skips option values it is told about', async () => {
    const cmd = await one('apt-get -o Dpkg::Options::=--force-confdef -t bookworm install -y curl');
    expect(positionalArgs(cmd.args, ['-o', '-t']).map((w) => w.text)).toEqual(['install', 'curl']);
  });
});

describe('package managers', () => {
  test('apt-get / apt: subcommand after options, packages installed', async () => {
    const cmd = await one('DEBIAN_FRONTEND=noninteractive apt-get -q -o Acquire::Retries=3 install -y --no-install-recommends curl git=1:2.39');
    expect(isAptGetInstall(cmd)).toBe(true);
    expect(isAptGet(cmd, 'update')).toBe(false);
    expect(subcommand(cmd)?.text).toBe('install');
    expect(packagesInstalled(cmd).map((w) => w.text)).toEqual(['curl', 'git=1:2.39']);
    expect(isAptGetInstall(await one('apt install -y curl'))).toBe(true);
    expect(isAptGet(await one('apt-get update'), 'update')).toBe(true);
    expect(packageManager(await one('/usr/bin/apt-get install x'))).toBe('apt');
  });

  test('yum, dnf, zypper, apk, conda', async () => {
    expect(isYumInstall(await one('yum -y --enablerepo epel install gcc'))).toBe(true);
    expect(packagesInstalled(await one('yum -y --enablerepo epel install gcc make')).map((w) => w.text)).toEqual(['gcc', 'make']);
    expect(isDnfInstall(await one('microdnf install -y gcc'))).toBe(true);
    expect(isYumInstall(await one('dnf install -y gcc'))).toBe(false);
    expect(isZypperInstall(await one('zypper -n in gcc'))).toBe(true);
    expect(isApkAdd(await one('apk add --no-cache --virtual .deps gcc'))).toBe(true);
    expect(packagesInstalled(await one('apk add --no-cache --virtual .deps gcc')).map((w) => w.text)).toEqual(['gcc']);
    expect(isCondaInstall(await one('/opt/conda/bin/mamba create -n env -c conda-forge python=3.11'))).toBe(true);
    expect(packagesInstalled(await one('conda install -y -c conda-forge numpy')).map((w) => w.text)).toEqual(['numpy']);
    expect(isOsPackageInstall(await one('pip install x'))).toBe(false);
  });

  test('pip in all its spellings', async () => {
    for (const line of ['pip install x', 'pip3.11 install x', 'python3 -m pip install x', '/usr/bin/python -m pip install x', 'uv pip install x']) {
      const cmd = await one(line);
      expect(isPipInstall(cmd), line).toBe(true);
      expect(
        packagesInstalled(cmd).map((w) => w.text),
        line,
      ).toEqual(['x']);
    }
    expect(packagesInstalled(await one('pip install -r req.txt --index-url https://i/simple y==1')).map((w) => w.text)).toEqual(['y==1']);
    expect(isPipInstall(await one('pip download x'))).toBe(false);
  });
});

describe('downloads, builds, files', () => {
  test('curl | sh, URLs', async () => {
    const [curl, tar] = await commands('curl -fsSL https://x.org/a.tar.gz | sudo tar -xz');
    expect(isCurlOrWget(curl)).toBe(true);
    expect(pipesInto(curl, 'tar')).toBe(true);
    expect(pipesInto(tar, 'curl')).toBe(false);
    expect(urlArgs(curl).map((u) => u.text)).toEqual(['https://x.org/a.tar.gz']);
  });

  test('configure scripts and flags', async () => {
    const cmd = await one('../openmpi-4.1.6/configure --prefix=/opt/ompi --with-pmix=/usr --with-slurm');
    expect(isConfigureScript(cmd)).toBe(true);
    expect(hasConfigureFlag(cmd, '--with-pmix')).toBe(true);
    expect(hasConfigureFlag(cmd, '--with-pmi')).toBe(false);
    expect(configureFlagValue(cmd, '--with-pmix')).toBe('/usr');
    expect(configureFlagValue(cmd, '--with-slurm')).toBe('');
  });

  test('git clone, rm targets, redirects', async () => {
    expect(isGitClone(await one('git -c advice.detachedHead=false clone --depth 1 https://x/y.git'))).toBe(true);
    expect(isGitClone(await one('git checkout v1'))).toBe(false);
    const rm = await one('rm -rf /var/lib/apt/lists/* "/opt/my dir"');
    expect(isRecursiveRm(rm)).toBe(true);
    expect(rmTargets(rm).map((w) => w.text)).toEqual(['/var/lib/apt/lists/*', '/opt/my dir']);
    expect(redirectTargets(await one('echo x >> /etc/profile 2>/dev/null'))).toEqual(['/etc/profile', '/dev/null']);
  });
});
