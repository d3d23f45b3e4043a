import { runCli } from './program';

/** How long a failed command may take to let go of its connections before it is ended anyway. */
const EXIT_GRACE_MS = 1000;

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // A command that failed while its modules were starting (the database unreachable) can leave a
  // half-opened Redis connection behind, which would keep the process waiting forever.
  if (code !== 0) setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
});
