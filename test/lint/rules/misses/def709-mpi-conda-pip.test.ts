// DEF709: an MPI from conda or pip shadows the image's or the host's (issue 13 §4). Shapes from
// real files: `conda install -c conda-forge biopython cython mpi4py`, a conda env with `openmpi`
// for a GPU code, `pip install mpi4py` next to a distro Open MPI.
import { testRule } from '../../../helpers/rule-tester.js';

const post = (body: string, from = 'condaforge/miniforge3:24.3.0-0') => `Bootstrap: docker\nFrom: ${from}\n\n%post\n${body.replace(/^/gm, '    ')}\n`;

testRule('DEF709', {
  valid: [
    post('conda install -y -c conda-forge "mpich=4.2.1=external_*" mpi4py=3.1.6'),
    post("mamba install -y 'openmpi=4.1.6=external_*' mpi4py"),
    post('conda install -y -c conda-forge/label/mpi-external -c conda-forge mpich mpi4py'),
    // mpi4py's wheels load the MPI found at run time; a source build uses the image's mpicc.
    post('apt-get install -y libopenmpi-dev\npip install --no-cache-dir mpi4py==4.0.1', 'ubuntu:22.04'),
    post('conda install -y numpy=1.26.4 scipy=1.13.1'),
    {
      code: `${post('conda install -y mpi4py')}\n%labels\n    org.apptainer-gen.mpi.model none\n`,
    },
  ],
  invalid: [
    {
      code: post('conda install -y -c omnia -c conda-forge biopython cython mpi4py'),
      errors: [{ messageId: 'condaMpi', line: 5, text: 'mpi4py', message: /`conda install` installs its own MPI \(mpi4py\)/ }],
    },
    {
      code: post('micromamba create -y -n susan -c conda-forge python=3.10 numpy openmpi=4.1.6 mpi4py'),
      errors: [{ messageId: 'condaMpi', text: 'openmpi=4.1.6 mpi4py' }],
    },
    { code: post('pip install --no-cache-dir mpi4py==4.0.1 mpich==4.2.3', 'python:3.12-slim'), errors: [{ messageId: 'pipMpi', text: 'mpich==4.2.3' }] },
    { code: post('python3 -m pip install impi-rt==2021.13.1', 'python:3.12-slim'), errors: [{ messageId: 'pipMpi', text: 'impi-rt==2021.13.1' }] },
  ],
});
