export async function register() {
  // The console's server code (database, workers) only runs on the Node.js runtime.
  // eslint-disable-next-line no-restricted-properties -- set by Next itself, before lib/env can load
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServer } = await import('./lib/startup');
  await startServer();
}
