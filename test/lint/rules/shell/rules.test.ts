// Targeted cases for the shell, reproducibility, security and size rules: edge cases the meta
// examples do not cover, exact ranges, and the text safe fixes produce.
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../../../src/lint/types.js';
import { fix } from '../../../../src/lint/index.js';
import { applyFix, findingsOf, type CaseConfig } from '../../../helpers/rule-tester.js';
const def = (from: string, body: string, post = '%post') =>
  `Bootstrap: docker\nFrom: ${from}\n\n${post}\n${body
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n')}\n`;
const at = (text: string, f: Finding) => text.slice(f.range.start.offset, f.range.end.offset);
async function findings(id: string, text: string, run?: CaseConfig) {
  return findingsOf(id, text, run);
}
async function fixed(id: string, text: string): Promise<string> {
  const [first] = await findings(id, text);
  expect(first?.fix, `${id} offers a fix`).toBeDefined();
  return applyFix(text, first.fix!);
}

describe('DEF301 bashism-in-sh', () => {
  test('error on dash bases, warning on BusyBox ash and unknown bases, info where /bin/sh is bash, quiet under bash', async () => {
    const body = '[[ -f /etc/os-release ]] && echo ok';
    expect((await findings('DEF301', def('ubuntu:22.04', body)))[0].severity).toBe('error');
    expect((await findings('DEF301', def('nvidia/cuda:12.4.1-devel-ubuntu22.04', body)))[0].severity).toBe('error');
    // BusyBox ash (Alpine) accepts [[ ]], source and $'...': not an error there (issue 13).
    expect((await findings('DEF301', def('alpine:3.20', body)))[0].severity).toBe('warning');
    expect((await findings('DEF301', def('python:3.12', body)))[0].severity).toBe('warning');
    // RHEL, Fedora and SUSE link /bin/sh to bash: at most info (issue 13).
    for (const base of ['rockylinux:9', 'fedora:40', 'opensuse/leap:15.6', 'nvidia/cuda:12.4.1-devel-rockylinux9']) {
      expect((await findings('DEF301', def(base, body)))[0].severity, base).toBe('info');
    }
    const [runscript] = await findings('DEF301', def('ubuntu:22.04', 'source /opt/env.sh', '%runscript'));
    expect(runscript.message).toContain('the script fails when run');
    expect(await findings('DEF301', def('ubuntu:22.04', body, '%post -c /bin/bash'))).toEqual([]);
  });
  test('the suggestion runs the section with bash -e', async () => {
    const text = def('ubuntu:22.04', 'source /etc/profile');
    const [f] = await findings('DEF301', text);
    expect(at(text, f)).toBe('source');
    expect(applyFix(text, f.suggestions![0])).toContain('%post -c /bin/bash -e\n');
  });
  test('POSIX parameter expansions are fine', async () => {
    expect(await findings('DEF301', def('ubuntu:22.04', 'PORT="${PORT:-8080}"\necho "${PORT%0}" "${#PORT}"'))).toEqual([]);
  });
});

describe('DEF302 errexit-lost-with-custom-shell', () => {
  test('inserts set -e with the body indentation', async () => {
    const text = def('rockylinux:9', 'make\nmake install', '%post -c /bin/bash');
    expect(await fixed('DEF302', text)).toContain('%post -c /bin/bash\n    set -e\n    make\n');
  });
  test('quiet with -e in the header or set -e first', async () => {
    expect(await findings('DEF302', def('rockylinux:9', 'make', '%post -c /bin/bash -e'))).toEqual([]);
    expect(await findings('DEF302', def('rockylinux:9', 'set -euo pipefail\nmake', '%post -c /bin/bash'))).toEqual([]);
    expect(await findings('DEF302', def('rockylinux:9', 'make\nset -e', '%post -c /bin/bash'))).toHaveLength(1);
  });
});

describe('DEF304 pipe-masks-failure', () => {
  test('pipefail set before the pipeline silences it, after does not', async () => {
    const pipe = 'curl -fsSL https://x.org/a.tgz | tar -xz';
    expect(await findings('DEF304', def('ubuntu:22.04', `set -o pipefail\n${pipe}`, '%post -c /bin/bash -e'))).toEqual([]);
    expect(await findings('DEF304', def('ubuntu:22.04', `${pipe}\nset -o pipefail`, '%post -c /bin/bash -e'))).toHaveLength(1);
  });
  test('harmless producers are not reported; sh has no pipefail to suggest', async () => {
    expect(await findings('DEF304', def('ubuntu:22.04', 'echo "deb http://x y" | tee /etc/apt/sources.list.d/x.list'))).toEqual([]);
    const [f] = await findings('DEF304', def('ubuntu:22.04', 'wget -qO- https://x.org/k.asc | gpg --dearmor -o /k.gpg'));
    expect(f.message).toContain('has no pipefail');
    expect(f.suggestions).toBeUndefined();
  });
});

describe('apt rules', () => {
  test('DEF305: -y added after the subcommand; yes | and -qq count as answers', async () => {
    expect(await fixed('DEF305', def('ubuntu:22.04', 'apt-get install --no-install-recommends curl'))).toContain(
      'apt-get install -y --no-install-recommends curl',
    );
    expect(await findings('DEF305', def('ubuntu:22.04', 'yes | apt-get install curl'))).toEqual([]);
    expect(await findings('DEF305', def('ubuntu:22.04', 'apt-get -qq install curl'))).toEqual([]);
    expect(await findings('DEF305', def('ubuntu:22.04', 'apt-get update'))).toEqual([]);
    const text = def('ubuntu:22.04', 'sudo apt-get -o Acquire::Retries=3 remove curl');
    expect(at(text, (await findings('DEF305', text))[0])).toBe('apt-get -o Acquire::Retries=3 remove');
  });
  test('DEF306: apt.conf written in the stage disables recommends', async () => {
    const body = 'echo \'APT::Install-Recommends "false";\' > /etc/apt/apt.conf.d/99norec\napt-get install -y curl';
    expect(await findings('DEF306', def('ubuntu:22.04', body))).toEqual([]);
  });
  test('DEF307: prefix or export counts, a plain assignment does not; earlier %post sections count', async () => {
    expect(await findings('DEF307', def('ubuntu:22.04', 'DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata'))).toEqual([]);
    expect(await findings('DEF307', def('ubuntu:22.04', 'DEBIAN_FRONTEND=noninteractive\napt-get install -y tzdata'))).toHaveLength(1);
    expect(await findings('DEF307', def('ubuntu:22.04', 'DEBIAN_FRONTEND=noninteractive\nexport DEBIAN_FRONTEND\napt-get install -y tzdata'))).toEqual([]);
    const two = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    export DEBIAN_FRONTEND=noninteractive\n\n%post\n    apt-get install -y tzdata\n';
    expect(await findings('DEF307', two)).toEqual([]);
  });
  test('DEF308: apt becomes apt-get; apt-only subcommands are left alone', async () => {
    expect(await fixed('DEF308', def('debian:12', 'apt install -y curl'))).toContain('    apt-get install -y curl');
    expect(await findings('DEF308', def('debian:12', 'apt list --installed'))).toEqual([]);
  });
});

describe('DEF309 pkg-manager-noninteractive', () => {
  test('zypper gets -n after its name; conda gets -y; microdnf never prompts', async () => {
    expect(await fixed('DEF309', def('opensuse/leap:15.6', 'zypper install gcc'))).toContain('zypper -n install gcc');
    expect(await fixed('DEF309', def('continuumio/miniconda3:24.1.2-0', 'conda install -c conda-forge numpy'))).toContain(
      'conda install -y -c conda-forge numpy',
    );
    expect(await findings('DEF309', def('rockylinux:9-minimal', 'microdnf install gcc'))).toEqual([]);
    expect(await findings('DEF309', def('rockylinux:9', 'dnf --assumeyes install gcc'))).toEqual([]);
  });
});

describe('build environment', () => {
  test('DEF310: plain sudo is removed; sudo -u is reported without a fix', async () => {
    expect(await fixed('DEF310', def('ubuntu:22.04', 'sudo -E apt-get install -y curl'))).toContain('    apt-get install -y curl');
    const [f] = await findings('DEF310', def('ubuntu:22.04', 'sudo -u nobody make'));
    expect(f.fix).toBeUndefined();
  });
  test('DEF311: systemctl enable is fine, start is not', async () => {
    expect(await findings('DEF311', def('rockylinux:9', 'systemctl enable sshd'))).toEqual([]);
    expect(await findings('DEF311', def('rockylinux:9', 'systemctl start sshd'))).toHaveLength(1);
  });
  test('DEF313: a variable the script sets itself is fine', async () => {
    expect(await findings('DEF313', def('ubuntu:22.04', 'USER=builder\necho "$USER"'))).toEqual([]);
    const text = def('ubuntu:22.04', 'echo "$SUDO_USER"');
    expect(at(text, (await findings('DEF313', text))[0])).toBe('SUDO_USER');
  });
  test('DEF314: renames legacy $SINGULARITY_* to $APPTAINER_*, never the other way, one finding per section', async () => {
    const text = def('alpine:3.20', 'echo x >> "${SINGULARITY_ENVIRONMENT}"\nmkdir -p $SINGULARITY_ROOTFS/opt\necho y >> $APPTAINER_ENVIRONMENT');
    expect(await findings('DEF314', text)).toHaveLength(1);
    const out = await fixed('DEF314', text);
    expect(out).toContain('echo x >> "${APPTAINER_ENVIRONMENT}"\n    mkdir -p $APPTAINER_ROOTFS/opt\n    echo y >> $APPTAINER_ENVIRONMENT');
    expect(await findings('DEF314', def('alpine:3.20', 'echo x >> "$APPTAINER_ENVIRONMENT"'))).toEqual([]);
  });
});

describe('DEF312 rm-host-tmp', () => {
  test('catch-all globs and the directory itself, not own files', async () => {
    const text = def('ubuntu:22.04', 'rm -rf /tmp/* /var/tmp/.[!.]*\nrm -rf /tmp\nrm -rf /tmp/build /tmp/tool-*\nfind /tmp -mindepth 1 -delete');
    const found = await findings('DEF312', text);
    expect(found.map((f) => at(text, f))).toEqual(['/tmp/*', '/var/tmp/.[!.]*', '/tmp', 'find /tmp -mindepth 1 -delete']);
  });
});

describe('base image pinning', () => {
  test('DEF401/402/403 on resolved templates, digests and registries with ports', async () => {
    const templated = 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE=ubuntu\n';
    expect((await findings('DEF401', templated))[0].message).toContain('resolves to `ubuntu`');
    expect(await findings('DEF401', templated, { buildArgs: { BASE: 'ubuntu:24.04' } })).toEqual([]);
    expect(await findings('DEF401', 'Bootstrap: docker\nFrom: localhost:5000/tools@sha256:abc\n')).toEqual([]);
    expect(await findings('DEF401', 'Bootstrap: docker\nFrom: localhost:5000/tools\n')).toHaveLength(1);
    expect(await findings('DEF402', 'Bootstrap: docker\nFrom: docker://python:latest\n')).toHaveLength(1);
    expect(await findings('DEF403', 'Bootstrap: localimage\nFrom: ./base.sif\n')).toEqual([]);
  });
  test('DEF408 only for registry agents without a default', async () => {
    expect(await findings('DEF408', 'Bootstrap: localimage\nFrom: {{ DIR }}/base.sif\n')).toEqual([]);
    const text = 'Bootstrap: docker\nFrom: {{ BASE }}\n';
    expect(at(text, (await findings('DEF408', text))[0])).toBe('{{ BASE }}');
  });
});

describe('package pinning', () => {
  test('DEF405: pins, requirement files, local paths and pip itself are fine', async () => {
    const body = 'pip install --no-cache-dir -r requirements.txt . ./pkg numpy==1.26 "scipy<2" pip setuptools\npip install --no-cache-dir pandas';
    const text = def('python:3.12-slim', body);
    expect((await findings('DEF405', text)).map((f) => at(text, f))).toEqual(['pandas']);
  });
  test('DEF404 (opt-in) reports one range per command', async () => {
    const text = def('ubuntu:22.04', 'apt-get install -y curl git=1:2.34.1-1ubuntu1 ./local.deb wget');
    const [f] = await findings('DEF404', text);
    expect(at(text, f)).toBe('curl git=1:2.34.1-1ubuntu1 ./local.deb wget');
    expect(f.message).toContain('curl, wget');
  });
  test('DEF406: a checkout after the clone pins it', async () => {
    expect(await findings('DEF406', def('ubuntu:22.04', 'git clone https://x.org/a.git /opt/a\ngit -C /opt/a checkout 1a2b3c4'))).toEqual([]);
    expect(await findings('DEF406', def('ubuntu:22.04', 'git clone -b main https://x.org/a.git'))).toHaveLength(1);
    expect(await findings('DEF406', def('ubuntu:22.04', 'wget -q https://github.com/o/r/archive/refs/heads/master.zip'))).toHaveLength(1);
  });
  test('DEF407: targeted updates are fine', async () => {
    expect(await findings('DEF407', def('rockylinux:9', 'dnf -y update openssl'))).toEqual([]);
    expect(await findings('DEF407', def('rockylinux:9', 'dnf -y update'))).toHaveLength(1);
  });
});

describe('security', () => {
  test('DEF501: names ending in a secret word with literal values; shapes anywhere', async () => {
    const body =
      'export REGISTRY_AUTH_TOKEN_REALM=https://auth.example.org\nexport DB_PASSWORD="$(cat /run/pw)"\nexport DB_PASSWORD=hunter22\nmysql --password=s3cr3tpw';
    const text = def('ubuntu:22.04', body);
    expect((await findings('DEF501', text)).map((f) => at(text, f))).toEqual(['DB_PASSWORD=hunter22', '--password=s3cr3tpw']);
    const label = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%labels\n    API_TOKEN abcdef123456\n';
    expect((await findings('DEF501', label)).map((f) => at(label, f))).toEqual(['abcdef123456']);
  });
  test('DEF502 flags secret-named placeholders only', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo {{ VERSION }} {{ HF_TOKEN }}\n';
    expect((await findings('DEF502', text)).map((f) => at(text, f))).toEqual(['{{ HF_TOKEN }}']);
  });
  test('DEF503: process substitution and sudo bash count', async () => {
    expect(await findings('DEF503', def('ubuntu:22.04', 'bash <(curl -fsSL https://x.org/i.sh)', '%post -c /bin/bash -e'))).toHaveLength(1);
    expect(await findings('DEF503', def('ubuntu:22.04', 'curl -fsSL https://x.org/i.sh | sudo bash'))).toHaveLength(1);
    expect(await findings('DEF503', def('ubuntu:22.04', 'curl -fsSL https://x.org/a.tgz | tar xz'))).toEqual([]);
  });
  test('DEF505: combined -k, plain http, gpgcheck=0 in a heredoc', async () => {
    const text =
      'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    curl -fsSLk https://x.org/a\n    wget -q http://x.org/b.tgz\n    cat > /etc/yum.repos.d/x.repo <<EOF\n[x]\ngpgcheck=0\nEOF\n    curl -fsSL http://localhost:8080/c\n';
    const found = await findings('DEF505', text);
    expect(found.map((f) => f.range.start.line)).toEqual([5, 6, 7]);
  });
  test('DEF506: sticky scratch dirs are fine; the suggestion clears world and group write', async () => {
    expect(await findings('DEF506', def('ubuntu:22.04', 'chmod 1777 /scratch\nchmod 777 /tmp/x'))).toEqual([]);
    const text = def('ubuntu:22.04', 'chmod -R a+w /opt/app\nchmod 0777 /opt/b');
    const found = await findings('DEF506', text);
    expect(found.map((f) => at(text, f))).toEqual(['a+w', '0777']);
    expect(found[1].suggestions?.[0].edits[0].text).toBe('0755');
  });
  test('DEF507 and DEF508', async () => {
    expect(await findings('DEF507', def('ubuntu:22.04', 'chown -R 100:100 /opt/app'))).toEqual([]);
    expect(await findings('DEF507', def('ubuntu:22.04', 'chown 1000 /opt/app'))).toHaveLength(1);
    expect(await findings('DEF507', def('ubuntu:22.04', 'useradd -M -s /usr/sbin/nologin svc'))).toHaveLength(1);
    expect(await findings('DEF508', def('ubuntu:22.04', 'echo "x:*:19000:0:99999:7:::" >> /etc/shadow'))).toHaveLength(1);
    expect(await findings('DEF508', def('ubuntu:22.04', 'useradd -m -p "$HASH" demo'))).toHaveLength(1);
  });
  test('DEF509: wildcards, docker.io default, silent without a list', async () => {
    const text = 'Bootstrap: docker\nFrom: registry.internal.example.org/base/ubuntu:22.04\n';
    expect(await findings('DEF509', text)).toEqual([]);
    expect(await findings('DEF509', text, { trustedRegistries: ['*.example.org'] })).toEqual([]);
    expect(await findings('DEF509', text, { trustedRegistries: ['docker.io'] })).toHaveLength(1);
    expect(await findings('DEF509', 'Bootstrap: docker\nFrom: ubuntu:22.04\n', { trustedRegistries: ['docker.io'] })).toEqual([]);
  });
  test('DEF510: local .sif without fingerprints', async () => {
    expect(await findings('DEF510', 'Bootstrap: localimage\nFrom: base.sif\n')).toHaveLength(1);
    expect(await findings('DEF510', 'Bootstrap: localimage\nFrom: ./sandbox/\n')).toEqual([]);
  });
});

describe('size', () => {
  test('DEF601: cleanup in a later section counts; build stages are ignored; the fix appends', async () => {
    const later = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n\n%post\n    rm -rf /var/lib/apt/lists/*\n';
    expect(await findings('DEF601', later)).toEqual([]);
    const multi =
      'Bootstrap: docker\nFrom: ubuntu:22.04\nStage: build\n\n%post\n    apt-get update\n\nBootstrap: docker\nFrom: ubuntu:22.04\nStage: final\n\n%post\n    echo hi\n';
    expect(await findings('DEF601', multi)).toEqual([]);
    expect(await fixed('DEF601', def('ubuntu:22.04', 'apt-get update\napt-get install -y curl'))).toMatch(
      /apt-get install -y curl\n    rm -rf \/var\/lib\/apt\/lists\/\*\n$/,
    );
  });
  test('DEF602: apk --no-cache is fine; the fix adds it', async () => {
    expect(await findings('DEF602', def('alpine:3.20', 'apk add --no-cache curl'))).toEqual([]);
    expect(await fixed('DEF602', def('alpine:3.20', 'apk add curl'))).toContain('apk add --no-cache curl');
  });
  test('DEF603: PIP_NO_CACHE_DIR or a purge later is fine; python -m pip gets the flag after install', async () => {
    expect(await findings('DEF603', def('python:3.12', 'export PIP_NO_CACHE_DIR=1\npip install x==1'))).toEqual([]);
    expect(await findings('DEF603', def('python:3.12', 'pip install x==1\nrm -rf /root/.cache/pip'))).toEqual([]);
    expect(await fixed('DEF603', def('python:3.12', 'python3 -m pip install x==1'))).toContain('python3 -m pip install --no-cache-dir x==1');
  });
  test('DEF604/DEF605: install destinations', async () => {
    const conda = def('ubuntu:22.04', 'bash Miniconda3-py311_24.1.2-0-Linux-x86_64.sh -b');
    expect(await findings('DEF604', conda)).toHaveLength(1);
    expect(await findings('DEF604', def('ubuntu:22.04', 'bash Miniconda3-py311_24.1.2-0-Linux-x86_64.sh -b -p /opt/conda'))).toEqual([]);
    expect(await findings('DEF604', def('ubuntu:22.04', 'cmake -DCMAKE_INSTALL_PREFIX="$HOME/.local" ..'))).toHaveLength(1);
    const site = def('ubuntu:22.04', './configure --prefix=/gpfs/apps/tool');
    expect(await findings('DEF605', site)).toEqual([]);
    expect(await findings('DEF605', site, { options: { boundDirs: ['/gpfs'] } })).toHaveLength(1);
  });
  test('DEF606: tools removed later are fine', async () => {
    const body = 'apt-get install -y --no-install-recommends gcc libssl-dev\nmake\napt-get purge -y gcc libssl-dev';
    expect(await findings('DEF606', def('ubuntu:22.04', body))).toEqual([]);
    expect(await findings('DEF606', def('alpine:3.20', 'apk add --no-cache --virtual .deps gcc musl-dev\nmake\napk del .deps'))).toEqual([]);
  });
  test('DEF607: removing the directory, or downloading into /tmp, is fine', async () => {
    expect(await findings('DEF607', def('ubuntu:22.04', 'mkdir -p /opt/src && cd /opt/src\nwget -q https://x.org/t-1.tar.gz\ncd /\nrm -rf /opt/src'))).toEqual(
      [],
    );
    expect(await findings('DEF607', def('ubuntu:22.04', 'cd /tmp\nwget -q https://x.org/t-1.tar.gz'))).toEqual([]);
    expect(await findings('DEF607', def('ubuntu:22.04', 'curl -fsSL -o /opt/t.zip https://x.org/t-1.zip'))).toHaveLength(1);
  });
  test('DEF608: fixes for wget and curl', async () => {
    expect(await fixed('DEF608', def('ubuntu:22.04', 'wget https://x.org/a.tgz'))).toContain('wget --progress=dot:giga https://x.org/a.tgz');
    expect(await fixed('DEF608', def('ubuntu:22.04', 'curl -fLO https://x.org/a.tgz'))).toContain('curl -sS -fLO https://x.org/a.tgz');
    expect(await findings('DEF608', def('ubuntu:22.04', 'curl -fL https://x.org/v.json'))).toEqual([]); // to stdout: no meter
  });
  test('DEF609: files from another stage are fine', async () => {
    const text =
      'Bootstrap: docker\nFrom: ubuntu:22.04\nStage: b\n\nBootstrap: docker\nFrom: ubuntu:22.04\n\n%files from b\n    / /old\n\n%files\n    ./* /opt/app/\n';
    const found = await findings('DEF609', text);
    expect(found.map((f) => at(text, f))).toEqual(['./*']);
  });
});

describe('fixes that broke builds (issue 13)', () => {
  test('DEF601 never appends inside an unterminated heredoc, and --fix does not grow the file', async () => {
    const text = def('ubuntu:22.04', 'apt-get update\napt-get install -y --no-install-recommends curl\ncat > /opt/run.sh <<EOF\necho hi\n    EOF');
    const [finding] = await findings('DEF601', text);
    expect(finding).toBeDefined();
    expect(finding.fix).toBeUndefined();
    const first = await fix(text, { shellcheck: false });
    expect(first.output).not.toContain('rm -rf /var/lib/apt/lists');
    expect((await fix(first.output, { shellcheck: false })).output).toBe(first.output);
    // A closed heredoc still gets the fix after it.
    const closed =
      'Bootstrap: docker\nFrom: ubuntu:22.04\n%post\n\tapt-get update\n\tcat > /opt/run.sh <<-EOF\n\t\techo hi\n\tEOF\n\tapt-get install -y curl\n';
    expect(await fixed('DEF601', closed)).toContain('apt-get install -y curl\n\trm -rf /var/lib/apt/lists/*\n');
  });

  test('`apt-get install -v` prints the version: no -y, no --no-install-recommends added', async () => {
    const text = def('ubuntu:22.04', 'apt-get install -v\napt-get -h install');
    for (const id of ['DEF305', 'DEF306', 'DEF307']) expect(await findings(id, text), id).toEqual([]);
    expect((await fix(text, { shellcheck: false })).output).toBe(text);
  });

  test('DEF306 is a suggestion, not a --fix edit, and adds ca-certificates when HTTPS downloads follow', async () => {
    const text = def('ubuntu:22.04', 'apt-get update\napt-get install -y wget git\nwget -q https://example.org/x.tar.gz');
    const [finding] = await findings('DEF306', text);
    expect(finding.fix).toBeUndefined();
    expect(applyFix(text, finding.suggestions![0])).toContain('apt-get install --no-install-recommends -y wget git ca-certificates\n');
    const withCerts = def('ubuntu:22.04', 'apt-get install -y ca-certificates\napt-get install -y wget\nwget -q https://example.org/x.tar.gz');
    const [second] = (await findings('DEF306', withCerts)).slice(1);
    expect(applyFix(withCerts, second.suggestions![0])).toContain('apt-get install --no-install-recommends -y wget\n');
    expect((await fix(text, { shellcheck: false })).output).toContain('apt-get install -y wget git\n');
  });

  test('DEF302 inserts `set -e` once when Apptainer joins two %post sections into one script', async () => {
    const text = 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post -c /bin/bash\n    make\n%post -c /bin/bash\n    make install\n';
    expect(await findings('DEF302', text)).toHaveLength(1);
    const out = (await fix(text, { shellcheck: false })).output;
    expect(out.match(/set -e/g)).toHaveLength(1);
  });
});
