// Issue 13 §4, installs into /root: DEF604 on installers and tool installs that default to the build
// user's home (the uv installer piped into `sh`, rustup, `cargo install`, `go install`, a Miniconda
// installer saved under another name), and DEF220 on /root put on the run-time PATH,
// LD_LIBRARY_PATH or PYTHONPATH. Shapes from real files (a uv installer with /root/.local/bin in
// %environment, rustup with the product copied out of ~/.cargo, uv moved to /usr/local/bin, a
// Miniconda PATH left pointing into /root), in our own words.
import { describe, expect, it } from 'vitest';
import { HOME_INSTALLERS } from '../../../../src/lint/vocab/size-install-locations.js';
import { lintRule, testRule } from '../../../helpers/rule-tester.js';

const indent = (body: string) => body.replace(/^/gm, '    ');
const on = (base: string, body: string) => `Bootstrap: docker\nFrom: ${base}\n\n%post\n${indent(body)}\n`;
const post = (body: string) => on('debian:12', body);
const withEnvironment = (postBody: string, environment: string) => `${post(postBody)}\n%environment\n${indent(environment)}\n`;

const UV = 'curl -LsSf https://astral.sh/uv/install.sh | sh';
const RUSTUP = "curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y";

testRule('DEF604', {
  valid: [
    // An explicit place: for the installer itself, exported before it, or as an option.
    post('curl -LsSf https://astral.sh/uv/install.sh | env UV_INSTALL_DIR=/usr/local/bin sh'),
    post('curl -LsSf https://astral.sh/uv/install.sh | UV_INSTALL_DIR=/usr/local/bin sh'),
    post(`export UV_INSTALL_DIR=/usr/local/bin\n${UV}`),
    post(`export CARGO_HOME=/opt/cargo RUSTUP_HOME=/opt/rustup\n${RUSTUP}\ncargo install --locked ripgrep@14.1.0`),
    post('cargo install --root /usr/local --locked ripgrep@14.1.0'),
    post('cargo install --root=/usr/local --locked ripgrep@14.1.0'),
    post('CARGO_INSTALL_ROOT=/usr/local cargo install --locked ripgrep@14.1.0'),
    post('GOBIN=/usr/local/bin go install golang.org/x/tools/gopls@v0.16.1'),
    post('curl -fsSL https://install.julialang.org | sh -s -- --yes --path /opt/juliaup'),
    post('wget -qO /tmp/conda.sh https://repo.anaconda.com/miniconda/Miniconda3-py311_24.4.0-0-Linux-x86_64.sh\nbash /tmp/conda.sh -b -p /opt/conda'),
    // Moved or copied out afterwards (the uv binary to /usr/local/bin; the one tool rust built).
    post(`${UV}\nmv /root/.local/bin/uv /usr/local/bin/uv`),
    post(`${UV}\ncp $HOME/.local/bin/uv $HOME/.local/bin/uvx /usr/local/bin/`),
    post(`${RUSTUP} &&\n. "$HOME/.cargo/env" &&\ncargo install --version 0.7.0 winsfs-cli &&\nmkdir -p /opt/bin\ncp \${HOME}/.cargo/bin/winsfs /opt/bin`),
    post(`${RUSTUP}\n. "$HOME/.cargo/env"\ncargo build --release\ninstall -m 755 target/release/tool /usr/local/bin/\nrm -rf /root/.cargo /root/.rustup`),
    post('cargo install --locked ripgrep@14.1.0\ncp -r /root/.cargo/bin/* /usr/local/bin/'),
    // HOME is somewhere else, so `~` is not /root.
    post(`export HOME=/opt/home\n${UV}`),
    post('HOME=/opt/tools pip install --no-cache-dir --user numpy==1.26.4'),
    post('curl -fsSL -o /tmp/i.sh https://astral.sh/uv/install.sh\nenv HOME=/opt/uv-home sh /tmp/i.sh'),
    // /root made readable for everyone.
    post(`${UV}\nchmod 755 /root`),
    post(`${UV}\nchmod -R a+rX /root`),
    post(`${UV}\nchmod go+rx /root`),
    // The base image sets CARGO_HOME / GOPATH; a local base's environment is not known.
    on('rust:1.79-slim-bookworm', 'cargo install --locked ripgrep@14.1.0'),
    on('golang:1.22-bookworm', 'go install golang.org/x/tools/gopls@v0.16.1'),
    'Bootstrap: localimage\nFrom: base.sif\n\n%post\n    cargo install --locked ripgrep@14.1.0\n',
    // Not a home installer: code-server's script installs a distribution package as root.
    post('curl -fsSL https://code-server.dev/install.sh | sh'),
    post('cargo install --list'),
    // A build stage: its /root never reaches the image; the last stage copies what it needs.
    `Bootstrap: docker\nFrom: debian:12\nStage: build\n\n%post\n    ${UV}\n\nBootstrap: docker\nFrom: debian:12\n\n%files from build\n    /root/.local/bin/uv /usr/local/bin/uv\n`,
    `Bootstrap: docker\nFrom: python:3.12-slim\nStage: build\n\n%post\n    pip install --no-cache-dir --user numpy==1.26.4\n\nBootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    echo done\n`,
  ],
  invalid: [
    {
      code: post(UV),
      errors: [
        {
          messageId: 'defaultsToHome',
          line: 5,
          column: 5,
          text: UV,
          message:
            "The uv installer installs into ~/.local/bin, in the build user's home, which the run-time user cannot reach. Set UV_INSTALL_DIR to a directory under /opt or /usr/local, or move what is needed out after installing.",
        },
      ],
    },
    {
      // The variable on `curl` does not reach the shell that runs the installer.
      code: post('UV_INSTALL_DIR=/usr/local/bin curl -LsSf https://astral.sh/uv/install.sh | sh'),
      errors: [{ messageId: 'defaultsToHome', line: 5 }],
    },
    {
      code: post('wget -qO- https://astral.sh/uv/install.sh | sh'),
      errors: [{ messageId: 'defaultsToHome', message: /^The uv installer installs into ~\/\.local\/bin/ }],
    },
    {
      code: post(RUSTUP),
      errors: [
        { messageId: 'defaultsToHome', message: /^rustup installs into ~\/\.cargo and ~\/\.rustup,.* Set CARGO_HOME and RUSTUP_HOME to directories under/ },
      ],
    },
    {
      // Only CARGO_HOME moved: the toolchains still land in ~/.rustup.
      code: post(`export CARGO_HOME=/opt/cargo\n${RUSTUP}`),
      errors: [{ messageId: 'defaultsToHome', line: 6, message: /^rustup installs into ~\/\.rustup,.* Set RUSTUP_HOME to a directory/ }],
    },
    {
      // A link is not a copy: it still points into /root.
      code: post(`${UV}\nln -s /root/.local/bin/uv /usr/local/bin/uv`),
      errors: [{ messageId: 'defaultsToHome', line: 5 }],
    },
    { code: post(`export HOME=/root\n${UV}`), errors: [{ messageId: 'defaultsToHome', line: 6 }] },
    // The place chosen is a home directory again.
    {
      code: post(`export UV_INSTALL_DIR="$HOME/bin"\n${UV}`),
      errors: [{ messageId: 'defaultsToHome', message: /installs into \$HOME\/bin,.* Set UV_INSTALL_DIR to/ }],
    },
    {
      code: post('curl -fsSL https://install.julialang.org | sh -s -- --yes --path /root/juliaup'),
      errors: [{ messageId: 'defaultsToHome', message: /installs into \/root\/juliaup,.* Pass --path with/ }],
    },
    // Modes that do not let others into /root.
    { code: post(`${UV}\nchmod 700 /root`), errors: [{ messageId: 'defaultsToHome', line: 5 }] },
    { code: post(`${UV}\nchmod u+rwx,go-rwx /root`), errors: [{ messageId: 'defaultsToHome', line: 5 }] },
    { code: post(`${UV}\nchmod -R 755 /root/.local`), errors: [{ messageId: 'defaultsToHome', line: 5 }] },
    {
      // Saved first, then run.
      code: post('curl -sSf -o /tmp/rustup-init.sh https://sh.rustup.rs\nsh /tmp/rustup-init.sh -y --profile minimal'),
      errors: [{ messageId: 'defaultsToHome', line: 6, column: 5, text: 'sh /tmp/rustup-init.sh -y --profile minimal' }],
    },
    { code: post('./rustup-init -y'), errors: [{ messageId: 'defaultsToHome', text: './rustup-init -y' }] },
    {
      code: post('bash -c "$(curl -fsSL https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh)"'),
      errors: [{ messageId: 'defaultsToHome', message: /^The nvm installer installs into ~\/\.nvm/ }],
    },
    {
      code: post('curl -fsSL https://pixi.sh/install.sh | bash'),
      errors: [{ messageId: 'defaultsToHome', message: /^The pixi installer installs into ~\/\.pixi/ }],
    },
    { code: post('curl -sSL https://install.python-poetry.org | python3 -'), errors: [{ messageId: 'defaultsToHome', message: /POETRY_HOME/ }] },
    {
      code: post('cargo install --locked ripgrep@14.1.0'),
      errors: [
        {
          messageId: 'defaultsToHome',
          line: 5,
          column: 5,
          text: 'cargo install',
          message: /^`cargo install` installs into ~\/\.cargo\/bin,.* Pass `--root \/usr\/local`/,
          suggestions: [post('cargo install --root /usr/local --locked ripgrep@14.1.0')],
        },
      ],
      output: null,
    },
    {
      code: post('cargo install --root /root/tools --locked ripgrep@14.1.0'),
      errors: [{ messageId: 'defaultsToHome', message: /installs into \/root\/tools,/ }],
    },
    { code: post('go install golang.org/x/tools/gopls@v0.16.1'), errors: [{ messageId: 'defaultsToHome', text: 'go install', message: /~\/go\/bin.*GOBIN/ }] },
    {
      // A Miniconda installer saved as installer.sh, run with -b and no -p: ~/miniconda3.
      code: post('wget -qO /tmp/installer.sh https://repo.anaconda.com/miniconda/Miniconda3-py311_24.4.0-0-Linux-x86_64.sh\nbash /tmp/installer.sh -b'),
      errors: [{ messageId: 'installsIntoHomeDirectory', line: 6, message: /^conda installer default \(~\/miniconda3\) installs into ~\/miniconda3/ }],
    },
    {
      // pip --user in the last stage still counts; a copy of something else out of /root does not help.
      code: post('pip install --no-cache-dir --user numpy==1.26.4\ncp /root/.bashrc /etc/skel/'),
      errors: [{ messageId: 'pipInstallUserInstalls', line: 5 }],
    },
  ],
});

describe('DEF604 knows every installer in its table', () => {
  const samples: Record<string, string> = {
    'The uv installer': 'https://astral.sh/uv/0.4.30/install.sh',
    'The ruff installer': 'https://astral.sh/ruff/install.sh',
    rustup: 'https://sh.rustup.rs',
    'The pixi installer': 'https://pixi.sh/install.sh',
    'The Poetry installer': 'https://install.python-poetry.org',
    'The nvm installer': 'https://raw.githubusercontent.com/nvm-sh/nvm/v0.39.7/install.sh',
    'pyenv-installer': 'https://pyenv.run',
    'The Deno installer': 'https://deno.land/install.sh',
    'The Bun installer': 'https://bun.sh/install',
    'The SDKMAN! installer': 'https://get.sdkman.io',
    'The Volta installer': 'https://get.volta.sh',
    juliaup: 'https://install.julialang.org',
  };
  it('has a sample for each', () => expect(Object.keys(samples).sort()).toEqual(HOME_INSTALLERS.map((i) => i.what).sort()));
  for (const [what, url] of Object.entries(samples)) {
    it(`${what}: piped into bash, reported`, async () => {
      const findings = await lintRule('DEF604', post(`curl -fsSL ${url} | bash`));
      expect(findings.map((f) => f.message.slice(0, what.length))).toEqual([what]);
    });
  }
});

testRule('DEF220', {
  valid: [
    withEnvironment('echo built', 'export PATH=/opt/uv/bin:$PATH'),
    // $HOME and ~ in %environment are the run-time user's own home.
    withEnvironment('echo built', 'export PATH=$HOME/.local/bin:$PATH'),
    withEnvironment('echo built', 'export PATH=~/.local/bin:$PATH'),
    // A devtoolset's `root` directory is not /root.
    withEnvironment('echo built', 'export PATH=/opt/rh/devtoolset-7/root/usr/bin${PATH:+:${PATH}}'),
    withEnvironment('echo built', 'export TORCH_HOME=/opt/torch'),
    // Written by %post: kept for run time (single quotes, \$HOME, a quoted heredoc delimiter).
    post("echo 'export PATH=$HOME/.local/bin:$PATH' >> $APPTAINER_ENVIRONMENT"),
    post('echo "export PATH=\\$HOME/.local/bin:\\$PATH" >> $APPTAINER_ENVIRONMENT'),
    post("cat <<'EOF' >> $APPTAINER_ENVIRONMENT\nexport PATH=$HOME/.local/bin:$PATH\nEOF"),
    // HOME set elsewhere before the write.
    post('export HOME=/opt/home\necho "export PATH=$HOME/.local/bin:\\$PATH" >> $APPTAINER_ENVIRONMENT'),
    // /root made readable.
    withEnvironment('chmod 755 /root', 'export PATH=/root/.local/bin:$PATH'),
    // Only the build: a %post PATH does not reach run time.
    post('export PATH="/root/.local/bin:$PATH"\nuv --version'),
    // A build stage's environment does not reach the image.
    `Bootstrap: docker\nFrom: debian:12\nStage: build\n\n%environment\n    export PATH=/root/.local/bin:$PATH\n\nBootstrap: docker\nFrom: debian:12\n\n%post\n    echo done\n`,
  ],
  invalid: [
    {
      code: withEnvironment(UV, 'export PATH="/root/.local/bin:$PATH"'),
      errors: [
        {
          messageId: 'onRunTimePath',
          line: 8,
          column: 12,
          text: 'PATH="/root/.local/bin:$PATH"',
          message:
            "PATH gets /root/.local/bin, in the build user's home, which the run-time user cannot read. Install under /opt or /usr/local and put that directory on PATH.",
        },
      ],
    },
    {
      code: `${post('echo built')}\n%appenv tool\n    LD_LIBRARY_PATH=/root/miniconda3/lib:$LD_LIBRARY_PATH\n    export LD_LIBRARY_PATH\n`,
      errors: [{ messageId: 'onRunTimePath', line: 8, message: /^LD_LIBRARY_PATH gets \/root\/miniconda3\/lib,/ }],
    },
    {
      code: withEnvironment('echo built', 'export PYTHONPATH=/opt/app/src:/root/src'),
      errors: [{ messageId: 'onRunTimePath', message: /^PYTHONPATH gets \/root\/src,/ }],
    },
    {
      code: post('echo "export PATH=$HOME/.local/bin:\\$PATH" >> $APPTAINER_ENVIRONMENT'),
      errors: [
        {
          messageId: 'homeExpandsWhileBuilding',
          line: 5,
          column: 10,
          text: '"export PATH=$HOME/.local/bin:\\$PATH"',
          message: /gets \$HOME\/\.local\/bin: `\$HOME` expands while the image is built/,
        },
      ],
    },
    {
      code: post("echo 'export PATH=/root/.cargo/bin:$PATH' >> $SINGULARITY_ENVIRONMENT"),
      errors: [{ messageId: 'writtenToRunTimePath', message: /^The run-time PATH written here gets \/root\/\.cargo\/bin,/ }],
    },
    {
      code: post('echo "export PATH=/root/.local/bin:\\$PATH" | tee -a $APPTAINER_ENVIRONMENT'),
      errors: [{ messageId: 'writtenToRunTimePath', line: 5, column: 10 }],
    },
    {
      code: post('cat <<EOF >> $APPTAINER_ENVIRONMENT\nexport LANG=C.UTF-8\nexport PATH=${HOME}/miniconda3/bin:\\$PATH\nEOF'),
      errors: [{ messageId: 'homeExpandsWhileBuilding', line: 7, column: 5, text: 'export PATH=${HOME}/miniconda3/bin:\\$PATH' }],
    },
    {
      code: post("cat <<'EOF' >> $APPTAINER_ENVIRONMENT\nexport PATH=/root/.local/bin:$PATH\nEOF"),
      errors: [{ messageId: 'writtenToRunTimePath', line: 6 }],
    },
  ],
});
