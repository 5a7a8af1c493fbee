#!/usr/bin/env node
// Waits until a CQL query answers: `SELECT release_version FROM system.local`.
// Plain JavaScript so it runs before anything is compiled. Exit 0 = ready, 1 = not within --timeout.
'use strict';
const { Client, auth } = require('cassandra-driver');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const contactPoints = arg('contact-points', '127.0.0.1')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const port = Number(arg('port', '9042'));
const timeoutMs = Number(arg('timeout', '0')) * 1000;
const quiet = process.argv.includes('--quiet');
const username = process.env.CASSANDRA_USERNAME;
const password = process.env.CASSANDRA_PASSWORD;

async function once() {
  const client = new Client({
    contactPoints,
    protocolOptions: { port },
    localDataCenter: process.env.CASSANDRA_LOCAL_DC || 'datacenter1',
    socketOptions: { connectTimeout: 3000, readTimeout: 5000 },
    ...(username ? { authProvider: new auth.PlainTextAuthProvider(username, password || '') } : {}),
  });
  try {
    await client.connect();
    const rs = await client.execute('SELECT release_version FROM system.local');
    return rs.first().release_version;
  } finally {
    await client.shutdown().catch(() => {});
  }
}

// Error names and system codes only: the server's bad-credentials message names the user.
function describe(err) {
  if (!err) return 'unknown error';
  const reason = (e) => (e && typeof e.code === 'string' ? e.code : e && e.name) || 'error';
  if (err.innerErrors) {
    const hosts = Object.entries(err.innerErrors).map(([host, e]) => `${host} ${reason(e)}`);
    return `${err.name} (${hosts.join('; ') || 'no host tried'})`;
  }
  return reason(err);
}

function challengedForCredentials(err) {
  const inner = err && err.innerErrors ? Object.values(err.innerErrors) : [err];
  return (
    inner.length > 0 &&
    inner.every((e) => e && e.name === 'AuthenticationError' && /requires authentication/.test(e.message))
  );
}

(async () => {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const version = await once();
      if (!quiet) console.log(version);
      process.exit(0);
    } catch (err) {
      lastError = err;
      // Probed without credentials, a node that answers with an authentication challenge is up and
      // serving CQL (a PasswordAuthenticator node): say so instead of waiting for the timeout.
      if (!username && challengedForCredentials(err)) {
        if (!quiet) console.log('unknown (authentication required)');
        process.exit(0);
      }
      // An authentication failure will not heal by waiting: say so at once.
      if (err && err.name === 'AuthenticationError') break;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (!quiet) console.error(`no CQL answer from ${contactPoints.join(',')}:${port}: ${describe(lastError)}`);
  process.exit(1);
})();
