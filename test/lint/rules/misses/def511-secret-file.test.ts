// DEF511: a secret written into the root file system in %setup, or copied by %files (issue 13 §4).
// Shapes from real files: a private GitLab clone with the builder's ~/.netrc copied in %setup, an
// SSH key for `git clone git@...`, a token echoed into a config file.
import { testRule } from '../../../helpers/rule-tester.js';

const def = (sections: string) => `Bootstrap: docker\nFrom: ubuntu:22.04\n\n${sections}`;

testRule('DEF511', {
  valid: [
    // Removed at the end of %post: a SIF has no layers, the file is not in the image.
    def(
      '%setup\n    cp ~/.netrc ${APPTAINER_ROOTFS}/root/.netrc\n\n%post\n    git clone https://git.example.org/g/tool.git /opt/tool\n    rm -f /root/.netrc\n',
    ),
    def('%setup\n    mkdir -p ${APPTAINER_ROOTFS}/root/.ssh\n    cp ~/.ssh/id_ed25519 "$APPTAINER_ROOTFS/root/.ssh/"\n\n%post\n    rm -rf /root/.ssh\n'),
    // Public parts and ordinary files.
    def('%setup\n    cp ~/.ssh/id_ed25519.pub ${APPTAINER_ROOTFS}/etc/authorized_key.pub\n    cp config.yaml ${SINGULARITY_ROOTFS}/opt/app/\n'),
    def('%setup\n    echo "$APP_VERSION" > ${APPTAINER_ROOTFS}/opt/VERSION\n'),
    def('%files\n    ssh_known_hosts /etc/ssh/ssh_known_hosts\n'),
    // A build stage that is not copied from is not the image.
    'Bootstrap: docker\nFrom: ubuntu:22.04\nStage: build\n\n%setup\n    cp ~/.netrc ${APPTAINER_ROOTFS}/root/.netrc\n\nBootstrap: docker\nFrom: ubuntu:22.04\n\n%files from build\n    /opt/tool /opt/tool\n',
  ],
  invalid: [
    {
      code: def('%setup\n    cp ~/.netrc ${APPTAINER_ROOTFS}/root/.netrc\n\n%post\n    git clone https://git.example.org/g/tool.git /opt/tool\n'),
      errors: [{ messageId: 'setupWritesSecret', line: 5, column: 8, text: '~/.netrc', severity: 'warning', message: /at \/root\/\.netrc by %setup/ }],
    },
    {
      code: def('%setup\n    mkdir -p $SINGULARITY_ROOTFS/root/.ssh\n    cp $HOME/.ssh/id_rsa $SINGULARITY_ROOTFS/root/.ssh/\n'),
      errors: [{ messageId: 'setupWritesSecret', line: 6, message: /at \/root\/\.ssh\/id_rsa/ }],
    },
    {
      code: def('%setup\n    echo "machine github.com login ci password ${GITHUB_TOKEN}" > ${APPTAINER_ROOTFS}/root/.netrc\n'),
      errors: [{ messageId: 'setupWritesSecret', text: '${APPTAINER_ROOTFS}/root/.netrc', message: /`\$GITHUB_TOKEN`/ }],
    },
    {
      code: def('%setup\n    cat ~/.aws/credentials >> "$APPTAINER_ROOTFS/opt/aws/credentials"\n'),
      errors: [{ messageId: 'setupWritesSecret', message: /`~\/\.aws\/credentials`/ }],
    },
    {
      code: def('%files\n    ~/.docker/config.json /root/.docker/config.json\n    id_ed25519 /root/.ssh/id_ed25519\n'),
      errors: [
        { messageId: 'filesCopiesSecret', line: 5 },
        { messageId: 'filesCopiesSecret', line: 6 },
      ],
    },
  ],
});
