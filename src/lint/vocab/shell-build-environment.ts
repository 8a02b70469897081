// Shared by the shell rules (DEF310, DEF311, DEF313: commands and variables that assume an interactive host session).

export const SERVICE_COMMANDS = new Set([
  'service',
  'reboot',
  'shutdown',
  'halt',
  'poweroff',
  'telinit',
  'ssh',
  'vi',
  'vim',
  'nano',
  'emacs',
  'top',
  'htop',
  'mount',
]);
/** `systemctl` subcommands that only edit unit links and work without a running systemd. */
export const OFFLINE_SYSTEMCTL = new Set(['enable', 'disable', 'mask', 'unmask', 'preset', 'set-default', 'daemon-reload', 'cat', 'list-unit-files']);

export const HOST_VARIABLES =
  /^(USER|SUDO_USER|SUDO_UID|SUDO_GID|LOGNAME|DISPLAY|SSH_AUTH_SOCK|CI|CI_\w+|GITHUB_\w+|GITLAB_\w+|JENKINS_\w+|BUILD_NUMBER|BUILD_ID|TRAVIS_\w+|BUILDKITE_\w+)$/;
