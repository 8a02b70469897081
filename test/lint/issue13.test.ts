// Issue 13 ("lint findings you can trust on real files"): false errors, one problem once, and
// def-file idioms, through the real engine. Fixtures are shaped like the real files the issue
// was measured on, written anew.
import { describe, expect, it } from 'vitest';
import { lint, type Finding } from '../../src/lint/index.js';
import { shellCheckVersion } from '../../src/lint/shellcheck.js';

const shellcheck = (await shellCheckVersion()) !== undefined;

const post = (from: string, body: string, section = '%post') =>
  `Bootstrap: docker\nFrom: ${from}\n\n${section}\n${body
    .split('\n')
    .map((line) => (line ? `    ${line}` : line))
    .join('\n')}\n`;

async function run(text: string, withShellCheck = false): Promise<Finding[]> {
  return lint(text, { shellcheck: withShellCheck, config: { extends: 'recommended' } });
}
const of = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id && !f.suppressed);

describe('no false errors', () => {
  it('DEF305: `apt-get purge;` and `apt-get install` with no package have nothing to ask', async () => {
    const text = post('ubuntu:22.04', 'apt-get clean; apt-get purge; mkdir -p /opt/x\napt-get install -f\napt-get install curl');
    expect(of(await run(text), 'DEF305').map((f) => f.range.start.line)).toEqual([6, 7]);
  });

  it('DEF307: debconf-set-selections already set the frontend to Noninteractive', async () => {
    const piped = post(
      'ubuntu:22.04',
      "echo 'debconf debconf/frontend select Noninteractive' | debconf-set-selections\napt-get update\napt-get install -y tzdata",
    );
    expect(of(await run(piped), 'DEF307')).toEqual([]);
    const heredoc = post('ubuntu:22.04', 'debconf-set-selections <<EOF\ndebconf debconf/frontend select Noninteractive\nEOF\napt-get install -y tzdata');
    expect(of(await run(heredoc), 'DEF307')).toEqual([]);
    // Set after the install: too late.
    const late = post('ubuntu:22.04', "apt-get install -y tzdata\necho 'debconf debconf/frontend select Noninteractive' | debconf-set-selections");
    expect(of(await run(late), 'DEF307')).toHaveLength(1);
  });

  it('DEF607: removed after a `cd` (`rm ../x.tar.gz`), or named by the server (--content-disposition, curl -J)', async () => {
    const text = post(
      'ubuntu:22.04',
      'cd /opt\nwget -q https://example.org/tool-1.0.tar.gz\ntar -xzf tool-1.0.tar.gz\ncd tool-1.0\nmake install\nrm ../tool-1.0.tar.gz\nwget -q --content-disposition https://example.org/download?id=3\ncurl -sSLOJ https://example.org/get/lib-2.0.tar.gz',
    );
    expect(of(await run(text), 'DEF607')).toEqual([]);
    // Still reported when never removed.
    expect(of(await run(post('ubuntu:22.04', 'cd /opt\nwget -q https://example.org/tool-1.0.tar.gz')), 'DEF607')).toHaveLength(1);
  });

  it('DEF207: a sourced script may set the variable just before', async () => {
    const text = `Bootstrap: docker\nFrom: ubuntu:22.04\n\n%environment\n    export ONEAPI_ROOT=/opt/intel/oneapi\n    export MKLROOT=/opt/intel/oneapi/mkl/latest\n\n%post\n    echo "$ONEAPI_ROOT"\n    . /opt/intel/oneapi/setvars.sh\n    cmake -DMKL_DIR="$MKLROOT" .\n`;
    const found = of(await run(text), 'DEF207');
    expect(found.map((f) => f.range.start.line)).toEqual([9]);
  });

  it("DEF202: /home is a warning (only the user's home, or all of /home where a site binds it), /tmp stays an error", async () => {
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%files\n    tools /home/app/tools\n    data.csv /tmp/data.csv\n';
    expect(of(await run(text), 'DEF202').map((f) => [f.range.start.line, f.severity])).toEqual([
      [5, 'warning'],
      [6, 'error'],
    ]);
  });

  it('DEF751: nvidia-modprobe is a helper, not a driver library', async () => {
    expect(of(await run(post('rockylinux:9', 'dnf install -y nvidia-modprobe cuda-toolkit-12-4')), 'DEF751')).toEqual([]);
    expect(of(await run(post('rockylinux:9', 'dnf install -y nvidia-driver-libs')), 'DEF751')).toHaveLength(1);
  });
});

describe.skipIf(!shellcheck)('%environment is checked in the dialect Apptainer really uses', () => {
  it('no SC3046/DEF205 on `source` in %environment, even on a dash base', async () => {
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%environment\n    source /opt/conda/etc/profile.d/conda.sh\n    export PATH=/opt/tool/bin:$PATH\n';
    const found = await run(text, true);
    expect(found.filter((f) => f.ruleId === 'SC3046' || f.ruleId === 'DEF205')).toEqual([]);
  });
});

describe.skipIf(!shellcheck)('one problem, one finding', () => {
  it('DEF301 wins over ShellCheck SC3xxx on the same line', async () => {
    const found = await run(post('ubuntu:22.04', '[[ -f /etc/os-release ]] && echo ok\nsource /etc/profile'), true);
    expect(found.filter((f) => /^SC3\d{3}$/.test(f.ruleId))).toEqual([]);
    expect(of(found, 'DEF301')).toHaveLength(2);
  });

  it('DEF213 wins over SC2068 on the same unquoted $@', async () => {
    const found = await run(post('ubuntu:22.04', 'exec /opt/tool $@', '%runscript'), true);
    expect(of(found, 'SC2068')).toEqual([]);
    expect(of(found, 'DEF213')).toHaveLength(1);
  });

  it('on RHEL, Fedora and SUSE bases ShellCheck bashism findings are info at most', async () => {
    const found = await run(post('rockylinux:9', 'echo $((1+1)) > /dev/null\nread -p "x" y </dev/null || true'), true);
    const bashisms = found.filter((f) => /^SC3\d{3}$/.test(f.ruleId));
    expect(bashisms.length).toBeGreaterThan(0);
    expect(bashisms.every((f) => f.severity === 'info' || f.severity === 'style')).toBe(true);
  });
});

describe('group repeated findings of one rule in one section', () => {
  it('many never-deleted downloads in one %post are one finding naming the other lines', async () => {
    const downloads = Array.from({ length: 8 }, (_, i) => `wget -q https://example.org/part-${i}.tar.gz`).join('\n');
    const found = of(await run(post('ubuntu:22.04', `cd /opt\n${downloads}`)), 'DEF607');
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/\(and 7 more in %post: lines 7, 8, 9, 10, 11, 12, 13\)$/);
    // Five or fewer stay separate.
    const few = Array.from({ length: 5 }, (_, i) => `wget -q https://example.org/part-${i}.tar.gz`).join('\n');
    expect(of(await run(post('ubuntu:22.04', `cd /opt\n${few}`)), 'DEF607')).toHaveLength(5);
  });
});

describe.skipIf(!shellcheck)('def-file idioms ShellCheck misjudges', () => {
  it('no SC2086 in `export X=$Y:$X`, no SC2016 in text written for later, no SC2046 on $(nproc), no SC2154 on Apptainer run-time variables', async () => {
    const text = post(
      'rockylinux:9',
      [
        'export LD_LIBRARY_PATH=$CUDA_HOME/lib64:$LD_LIBRARY_PATH',
        "echo 'export PATH=/opt/tool/bin:$PATH' >> $APPTAINER_ENVIRONMENT",
        "sed -i 's|^PREFIX =.*|PREFIX = $(DESTDIR)/opt|' Makefile",
        'make -j $(nproc)',
        'echo "$SCIF_APPENV_tool"',
        'cp $SRC /opt',
        "echo '$HOME'",
      ].join('\n'),
    );
    const found = (await run(text, true)).filter((f) => f.ruleId.startsWith('SC'));
    // What stays: the real SC2086 (`cp $SRC`), SC2016 on an echo that writes nowhere.
    expect(found.map((f) => `${f.range.start.line} ${f.ruleId}`).sort()).toEqual(['10 SC2086', '11 SC2016']);
  });
});

describe('data-flow bugs that silenced real findings', () => {
  it('DEF504: an `rpm -i` is no checksum, and a check covers only downloads before it', async () => {
    const text = post(
      'rockylinux:9',
      'curl -fsSLO https://example.org/tool-1.0.tar.gz\nrpm -i /tmp/local.rpm\ncurl -fsSLO https://example.org/lib-2.0.tar.gz\necho "abc  lib-2.0.tar.gz" | sha256sum -c -\ncurl -fsSLO https://example.org/late-3.0.tar.gz',
    );
    expect(of(await run(text), 'DEF504').map((f) => f.range.start.line)).toEqual([5, 9]);
    expect(of(await run(post('rockylinux:9', 'curl -fsSLO https://example.org/x-1.rpm\nrpm -K x-1.rpm')), 'DEF504')).toEqual([]);
  });

  it('DEF406: a checkout pins only its own clone', async () => {
    const text = post(
      'ubuntu:22.04',
      'git clone https://github.com/example/one.git /opt/one\ncd /opt/one\ngit checkout v1.2.0\ncd /\ngit clone https://github.com/example/two.git /opt/two\ngit -C /opt/three checkout 5f2c1e9',
    );
    expect(of(await run(text), 'DEF406').map((f) => f.range.start.line)).toEqual([9]);
    const pinnedWithC = post('ubuntu:22.04', 'git clone https://github.com/example/two.git\ngit -C two checkout 5f2c1e9');
    expect(of(await run(pinnedWithC), 'DEF406')).toEqual([]);
  });

  it('DEF406: `pip install git+URL` without @ref, and `-latest` in a downloaded file name', async () => {
    const text = post(
      'python:3.12',
      'pip install --no-cache-dir git+https://github.com/example/tool.git\npip install --no-cache-dir git+https://github.com/example/lib.git@v2.1.0\nwget -q https://example.org/dl/tool-latest.tar.gz',
    );
    expect(of(await run(text), 'DEF406').map((f) => f.range.start.line)).toEqual([5, 7]);
  });

  it('DEF603: PIP_NO_CACHE_DIR in %environment is not applied at build time; exported in %post before the install it is', async () => {
    const inEnv = 'Bootstrap: docker\nFrom: python:3.12\n\n%environment\n    export PIP_NO_CACHE_DIR=1\n\n%post\n    pip install numpy==1.26.4\n';
    expect(of(await run(inEnv), 'DEF603')).toHaveLength(1);
    expect(of(await run(post('python:3.12', 'export PIP_NO_CACHE_DIR=1\npip install numpy==1.26.4')), 'DEF603')).toEqual([]);
  });
});

describe('misses an expert would flag', () => {
  it('DEF505: zypper --no-gpg-checks and rpm -i http://', async () => {
    const text = post('opensuse/leap:15.6', 'zypper --non-interactive --no-gpg-checks install -y gcc\nrpm -ivh http://example.org/pkgs/tool-1.0.rpm');
    expect(of(await run(text), 'DEF505').map((f) => f.range.start.line)).toEqual([5, 6]);
  });

  it('DEF114: a space after the colon of a registry From is an invalid reference; DEF317 once per stage', async () => {
    const [bad] = of(await run('Bootstrap: docker\nFrom: ubuntu: 22.04\n'), 'DEF114');
    expect(bad.message).toContain('contains a space');
    expect(of(await run(post('ubuntu:22.04', 'apt-get install -y curl\napt-get install -y git')), 'DEF317')).toHaveLength(1);
  });

  it('DEF219 and DEF757: build-only variables and CUDA stubs at run time', async () => {
    const text =
      'Bootstrap: docker\nFrom: nvidia/cuda:12.4.1-devel-ubuntu22.04\n\n%environment\n    export LD_LIBRARY_PATH=/usr/local/cuda/lib64/stubs:$LD_LIBRARY_PATH\n\n%runscript\n    exec "$APPTAINER_ROOTFS/opt/tool" "$@"\n';
    const found = await run(text);
    expect(of(found, 'DEF757').map((f) => f.range.start.line)).toEqual([5]);
    expect(of(found, 'DEF219').map((f) => f.range.start.line)).toEqual([8]);
  });
});

describe('more false positives found reading the corpus sample', () => {
  it('DEF604: `-bfp /usr/local` is -p combined with other flags', async () => {
    const text = post(
      'ubuntu:22.04',
      'bash Miniconda3-py311_24.1.2-0-Linux-x86_64.sh -bfp /usr/local\nbash Miniconda3-py311_24.1.2-0-Linux-x86_64.sh -bfp /root/conda',
    );
    expect(of(await run(text), 'DEF604').map((f) => f.range.start.line)).toEqual([6]);
  });

  it.skipIf(!shellcheck)('SC2145 on `exec /opt/bin/"$@"` and SC2086 on $SCIF_APPROOT are idioms', async () => {
    const text = post('ubuntu:22.04', 'exec /opt/tool/bin/"$@"', '%runscript') + '\n%appinstall tool\n    echo hi > $SCIF_APPROOT/bin/tool.txt\n';
    const found = await run(text, true);
    expect(found.filter((f) => f.ruleId === 'SC2145' || f.ruleId === 'SC2086')).toEqual([]);
  });
});

describe.skipIf(!shellcheck)('template conditionals and coreutils echo', () => {
  it('no SC2050/SC2194 on `{{ }}` placeholders, no SC3037 on /bin/echo -e', async () => {
    const text =
      'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%arguments\n    WITH_X=ON\n\n%post\n    if [ "{{ WITH_X }}" = "ON" ]; then echo x; fi\n    case "{{ WITH_X }}" in ON) echo on ;; esac\n\n%runscript\n    /bin/echo -e "usage:\\n  run"\n    echo -n x\n';
    const found = (await run(text, true)).filter((f) => ['SC2050', 'SC2194', 'SC3037'].includes(f.ruleId));
    expect(found.map((f) => `${f.range.start.line} ${f.ruleId}`)).toEqual(['13 SC3037']);
  });
});
