// DEF603: uv's own cache (issue 13 §4); DEF604: environments and tools installed under /root.
// Shapes from real files: `uv pip install --system ...` after `pip install uv`, a conda env
// created with `-p ~/envs/x`, `uv tool install` and `python -m venv $HOME/venv`.
import { testRule } from '../../../helpers/rule-tester.js';

const post = (body: string) => `Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n${body.replace(/^/gm, '    ')}\n`;

testRule('DEF603', {
  valid: [
    post('uv pip install --system --no-cache numpy==1.26.4'),
    post('uv pip install --system -n numpy==1.26.4'),
    post('uv pip install --system --no-cache-dir numpy==1.26.4'),
    post('UV_NO_CACHE=1 uv sync --frozen'),
    post('export UV_NO_CACHE=1\nuv pip install --system numpy==1.26.4'),
    post('export UV_CACHE_DIR=/tmp/uv-cache\nuv sync --frozen'),
    post('uv pip install --system numpy==1.26.4\nuv cache clean'),
    post('uv tool install ruff==0.5.0\nrm -rf /root/.cache'),
    // A uv install is not a pip install: no pip finding for it either way.
    post('uv venv /opt/venv'),
  ],
  invalid: [
    {
      code: post('uv pip install --system numpy==1.26.4'),
      errors: [{ messageId: 'uvKeepsCache', message: /`uv pip install` keeps its cache/, text: 'uv pip install' }],
      output: post('uv pip install --no-cache --system numpy==1.26.4'),
    },
    {
      // PIP_NO_CACHE_DIR is pip's: uv does not read it.
      code: post('export PIP_NO_CACHE_DIR=1\nuv sync --frozen'),
      errors: [{ messageId: 'uvKeepsCache', line: 6, text: 'uv sync' }],
      output: post('export PIP_NO_CACHE_DIR=1\nuv sync --no-cache --frozen'),
    },
    {
      // `pip cache purge` cleans pip's cache, not uv's; the clean must come after the install.
      code: post('uv cache clean\nuv add httpx==0.27.0\npip cache purge'),
      errors: [{ messageId: 'uvKeepsCache', line: 6 }],
    },
  ],
});

testRule('DEF604', {
  valid: [
    post('conda create -y -p /opt/envs/tool python=3.11'),
    post('python3 -m venv /opt/venv'),
    post('UV_TOOL_DIR=/opt/uv-tools UV_TOOL_BIN_DIR=/usr/local/bin uv tool install ruff==0.5.0'),
    post('export PIPX_HOME=/opt/pipx PIPX_BIN_DIR=/usr/local/bin\npipx install black==24.4.2'),
    post('pipx install --global black==24.4.2'),
    post('export MAMBA_ROOT_PREFIX=/opt/micromamba'),
  ],
  invalid: [
    { code: post('conda create -y -p ~/envs/tool python=3.11'), errors: [{ messageId: 'installsIntoHomeDirectory', text: '~/envs/tool' }] },
    { code: post('micromamba create -y --prefix=/root/env python=3.11'), errors: [{ messageId: 'installsIntoHomeDirectory', text: '--prefix=/root/env' }] },
    { code: post('python3 -m venv "$HOME/venv"'), errors: [{ messageId: 'installsIntoHomeDirectory', text: '"$HOME/venv"' }] },
    { code: post('uv venv /root/.venv'), errors: [{ messageId: 'installsIntoHomeDirectory', text: '/root/.venv' }] },
    { code: post('uv tool install ruff==0.5.0'), errors: [{ messageId: 'installsIntoHomeDirectory', message: /`uv tool install` installs into ~\/\.local/ }] },
    { code: post('export MAMBA_ROOT_PREFIX=/root/micromamba'), errors: [{ messageId: 'installsIntoHomeDirectory', line: 5 }] },
  ],
});
