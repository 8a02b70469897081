// MPI rules (DEF701-DEF706): what fires, where, and what stays quiet.
import { describe as group, expect, it } from 'vitest';
import { allRules } from '../../../../src/lint/index.js';
import { severitiesFor } from '../../../../src/lint/presets.js';
import { def, describe, findings } from './harness.js';

group('presets', () => {
  it('runs the failure-catching MPI/GPU rules in recommended and the site ones only with hpc', () => {
    const recommended = severitiesFor(['recommended'], allRules);
    const hpc = severitiesFor(['hpc'], allRules);
    expect(recommended.get('DEF701')).toBe('warning');
    expect(recommended.get('DEF704')).toBe('warning');
    expect(recommended.get('DEF751')).toBe('error');
    expect(recommended.get('DEF702')).toBe('info');
    expect(recommended.get('DEF706')).toBe('off');
    expect(recommended.get('DEF756')).toBe('off');
    // A site profile: not even the hpc preset turns it on (issue 10: it contradicted the pmi model).
    expect(hpc.get('DEF706')).toBe('off');
    expect(hpc.get('DEF756')).toBe('warning');
  });
});

group('DEF701 mpi-without-pmi', () => {
  it('follows cd through && chains and variables in the directory name', async () => {
    const text = def('cd /tmp/ompi/openmpi-$OMPI_VERSION && ./configure --prefix=$OMPI_DIR && make install');
    expect(describe(text, await findings(text, 'DEF701'))).toEqual(['5:43 DEF701 "./configure"']);
  });

  it('names the family and its flags in the message', async () => {
    const [f] = await findings(def('cd mvapich2-2.3.7\n./configure --prefix=/opt/mv2'), 'DEF701');
    expect(f.message).toContain('MVAPICH');
    expect(f.message).toContain('--with-pmi=pmi2 --with-pm=slurm');
  });

  it('accepts any process-management choice', async () => {
    for (const flag of ['--with-pmix', '--with-pmix=/usr', '--with-pmi=pmi2', '--with-slurm', '--with-pm=slurm', '--without-slurm', '--with-cray-pmi']) {
      expect(await findings(def(`cd mvapich2-2.3.7\n./configure ${flag}`), 'DEF701'), flag).toEqual([]);
    }
    expect(await findings(def('cd mvapich2-2.3.7\n./configure --with-pm=hydra'), 'DEF701')).toHaveLength(1);
  });

  it("leaves MPICH's default alone: its simple PMI is served by Hydra and by srun --mpi=pmi2", async () => {
    expect(await findings(def('cd mpich-4.0.2\n./configure --prefix=/opt/mpich'), 'DEF701')).toEqual([]);
    expect(await findings(def('cd mpich-4.2.0\n./configure --with-pm=hydra'), 'DEF701')).toEqual([]);
  });

  it('ignores configure runs outside MPI trees and after leaving them', async () => {
    const text = def(
      'cd openmpi-4.1.6\n./configure --with-pmix\ncd ..\ncd hdf5-1.14.3\n./configure --enable-parallel\npushd /opt/openmpi-x/ucx-1.16\n./configure\npopd',
    );
    expect(await findings(text, 'DEF701')).toEqual([]);
  });

  it('does not look at %setup (runs on the host) nor at commented-out lines', async () => {
    expect(await findings(def('cd openmpi-4.1.6\n./configure', 'setup'), 'DEF701')).toEqual([]);
    expect(await findings(def('cd openmpi-4.1.6\n# ./configure'), 'DEF701')).toEqual([]);
  });
});

group('DEF702 mpi-from-distro', () => {
  it('reports one finding per install command, on the first MPI package', async () => {
    const text = def('apt-get install -y wget openmpi-bin libopenmpi-dev\nyum -y install mpich-devel');
    const list = await findings(text, 'DEF702');
    expect(describe(text, list)).toEqual(['5:29 DEF702 "openmpi-bin"', '6:20 DEF702 "mpich-devel"']);
    expect(list[0].message).toContain("'openmpi-bin', 'libopenmpi-dev'");
  });

  it('is quiet for models other than hybrid, and fires for a declared hybrid', async () => {
    const install = 'apt-get install -y openmpi-bin';
    for (const model of ['pmi', 'bind', 'none']) {
      const text = `${def(install)}\n%labels\n    org.apptainer-gen.mpi.model ${model}\n`;
      expect(await findings(text, 'DEF702'), model).toEqual([]);
    }
    expect(await findings(`${def(install)}\n%labels\n    org.apptainer-gen.mpi.model hybrid\n`, 'DEF702')).toHaveLength(1);
  });

  it('does not mistake similar names or pip packages for distro MPI', async () => {
    expect(await findings(def('apt-get install -y python3-mpi4py libmpich-doc openmpi-tests-extra\npip install mpich'), 'DEF702')).toEqual([]);
  });
});

group('DEF703 mpi-version-unpinned', () => {
  it('flags a default-branch clone on its URL, unless a checkout follows', async () => {
    const text = def('git clone --depth 1 https://github.com/pmodels/mpich.git');
    expect(describe(text, await findings(text, 'DEF703'))).toEqual(['5:25 DEF703 "https://github.com/pmodels/mpich.git"']);
    expect(await findings(def('git clone https://github.com/pmodels/mpich.git\ncd mpich && git checkout v4.2.0'), 'DEF703')).toEqual([]);
    expect(await findings(def('git clone -b v5.0.3 https://github.com/open-mpi/ompi.git'), 'DEF703')).toEqual([]);
    expect(await findings(def('git clone -b main https://github.com/open-mpi/ompi.git'), 'DEF703')).toHaveLength(1);
  });

  it('flags spack/conda/pip MPI specs without a version', async () => {
    const text = def('spack install mpich\nmamba install -y openmpi\npip3 install mpich\nspack install mpich@4.2.0');
    expect(describe(text, await findings(text, 'DEF703'))).toEqual(['5:19 DEF703 "mpich"', '6:22 DEF703 "openmpi"', '7:18 DEF703 "mpich"']);
  });

  it('ignores versioned tarballs and other repositories', async () => {
    expect(
      await findings(
        def('wget https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.6.tar.bz2\ngit clone https://github.com/openucx/ucx.git'),
        'DEF703',
      ),
    ).toEqual([]);
  });
});

group('DEF704 mpirun-inside-container', () => {
  it('flags launchers in run sections only', async () => {
    const text = def('exec mpiexec.hydra -n 4 /opt/app/bin/app "$@"', 'runscript');
    expect(describe(text, await findings(text, 'DEF704'))).toEqual(['5:10 DEF704 "mpiexec.hydra"']);
    expect(await findings(def('mpirun -n 2 /opt/app/bin/test', 'test'), 'DEF704')).toEqual([]);
  });
});

group('DEF705 mpi-no-fast-interconnect', () => {
  it('flags an MPI built with no fabric in its stage only', async () => {
    const text = `Bootstrap: docker\nFrom: ubuntu:22.04\nStage: build\n\n%post\n    cd openmpi-4.1.6 && ./configure --with-pmix\n\nBootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y libucx-dev\n`;
    expect(describe(text, await findings(text, 'DEF705'))).toEqual(['6:25 DEF705 "./configure"']);
  });

  it('counts fabric packages anywhere in the stage, and MVAPICH as fabric-enabled', async () => {
    expect(await findings(def('cd openmpi-4.1.6 && ./configure --with-pmix\napt-get install -y rdma-core libibverbs-dev'), 'DEF705')).toEqual([]);
    expect(await findings(def('cd mvapich2-2.3.7 && ./configure --with-pmi=pmi2 --with-pm=slurm'), 'DEF705')).toEqual([]);
    expect(await findings(def('cd mpich-4.2.0 && ./configure --with-pmi=pmi2 --with-device=ch3:nemesis'), 'DEF705')).toHaveLength(1);
  });
});

group('DEF706 mpi-abi-site-profile', () => {
  it('flags Open MPI (source, distro, spack) and accepts MPICH', async () => {
    const text = def('cd openmpi-4.1.6 && ./configure --with-pmix\ndnf -y install openmpi-devel\nspack install openmpi@4.1.6\napt-get install -y libmpich-dev');
    expect(describe(text, await findings(text, 'DEF706'))).toEqual(['5:25 DEF706 "./configure"', '6:20 DEF706 "openmpi-devel"', '7:19 DEF706 "openmpi@4.1.6"']);
  });
});
