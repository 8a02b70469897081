// DEF858: `%files from <stage>` copying base libraries over the final stage's own (issue 13 §4).
// Shapes from real files: a build stage on a newer Ubuntu than the runtime stage, with the
// compiler's libstdc++ or the whole multiarch library directory copied across "to be safe".
import { testRule } from '../../../helpers/rule-tester.js';

const build = (from: string) => `Bootstrap: docker\nFrom: ${from}\nStage: build\n\n%post\n    apt-get update && apt-get install -y g++\n\n`;
const final = (from: string, files: string) => `Bootstrap: docker\nFrom: ${from}\n\n%files from build\n${files.replace(/^/gm, '    ')}\n`;

testRule('DEF858', {
  valid: [
    build('ubuntu:24.04') + final('debian:12-slim', '/opt/app /opt/app\n/opt/app/lib/libfoo.so.1 /usr/local/lib/libfoo.so.1'),
    // Same base image: the same libraries.
    build('ubuntu:24.04') + final('ubuntu:24.04', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6'),
    // Bundled next to the application, not over the base's own.
    build('ubuntu:24.04') + final('debian:12-slim', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /opt/app/lib/libstdc++.so.6'),
    // libcrypto, libcurl: not base libraries.
    build('ubuntu:24.04') + final('debian:12-slim', '/usr/lib/x86_64-linux-gnu/libcurl.so.4'),
  ],
  invalid: [
    {
      code: build('ubuntu:24.04') + final('debian:12-slim', '/opt/app /opt/app\n/usr/lib/x86_64-linux-gnu/libstdc++.so.6'),
      errors: [{ messageId: 'baseLibrary', line: 13, text: '/usr/lib/x86_64-linux-gnu/libstdc++.so.6', severity: 'warning', message: /\(ubuntu:24\.04\)/ }],
    },
    {
      code:
        build('rockylinux:9') +
        final('ubuntu:22.04', '/lib64/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2\n/lib64/libc.so.6 /lib/x86_64-linux-gnu/libc.so.6'),
      errors: [
        { messageId: 'baseLibrary', line: 12 },
        { messageId: 'baseLibrary', line: 13 },
      ],
    },
    { code: build('ubuntu:24.04') + final('ubuntu:20.04', '/usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu'), errors: [{ messageId: 'baseLibrary' }] },
    {
      code: build('ubuntu:24.04') + final('ubuntu:20.04', '/usr/lib/x86_64-linux-gnu/libstdc++* /usr/lib/x86_64-linux-gnu/'),
      errors: [{ messageId: 'baseLibrary' }],
    },
  ],
});
