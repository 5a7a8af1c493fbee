/**
 * A small append driver for `node --cpu-prof` (bench/README.md, "To profile"): one contender's
 * appends against the node named by the CASSANDRA_* variables, without the rest of the harness, so
 * the profile shows the hot path and little else. `--contender raw|ours`, `--sessions`, `--messages`.
 */
import { parseArgs } from 'node:util';
import { loadContender } from '../contenders/registry';
import type { ContenderName } from '../contenders/contender';
import { createClient } from '../../src/config';
import { benchKeyspaceName, dropKeyspace } from '../support/keyspaces';
import { turns } from '../support/messages';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contender: { type: 'string', default: 'ours' },
      sessions: { type: 'string', default: '64' },
      messages: { type: 'string', default: '300' },
    },
  });
  const contender = loadContender(values.contender as ContenderName);
  const sessions = Number(values.sessions);
  const script = turns(0, Number(values.messages), 500);
  const keyspace = benchKeyspaceName('profile', contender.name);
  const instance = await contender.open(keyspace, { bucketSpanMs: 86_400_000 });
  try {
    const handles = await Promise.all(Array.from({ length: sessions }, (_, s) => instance.session(`p-s${s}`)));
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    await Promise.all(
      handles.map(async (h) => {
        for (const t of script) await h.add(t);
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const sent = sessions * script.length;
    console.log(
      `${contender.name}: ${Math.round((sent / ms) * 1000)} messages/s, ${((cpu.user + cpu.system) / sent).toFixed(1)} µs CPU/message`,
    );
  } finally {
    await instance.close();
    const admin = createClient();
    await dropKeyspace(admin, keyspace);
    await admin.shutdown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
