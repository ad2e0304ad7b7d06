import { execFileSync } from 'node:child_process';

// The browser is whatever Debian's package gives this machine; print it so a browser change is
// visible in every run's log.
export default function globalSetup() {
  const version = execFileSync('/usr/bin/chromium', ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  console.log(`e2e browser: ${version}`);
}
