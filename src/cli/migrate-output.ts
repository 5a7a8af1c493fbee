import type { MigrationEvent, MigrationResult, MigrationStatus, RepairResult } from '../migrations';

const short = (checksum: string | undefined): string => (checksum === undefined ? '-' : checksum.slice(0, 12));

/** The progress line of an event in human mode, or `undefined` for events not worth a line. */
export function progressLine(event: MigrationEvent): string | undefined {
  switch (event.type) {
    case 'keyspace-created':
      return `created keyspace ${event.keyspace} with replication ${event.replication}`;
    case 'lock-waiting':
      return `waiting for the migration lock, held by ${event.holder}`;
    case 'migrated':
      return `applied ${event.file} (${event.statements} statement${event.statements === 1 ? '' : 's'}) in ${event.executionMs} ms`;
    case 'migration-failed':
      return `FAILED ${event.file} at statement index ${event.statementIndex} (line ${event.line})`;
    case 'schema-agreement-waiting':
      return 'waiting for the nodes to agree on the schema';
    case 'lock-lost':
      return `lost the migration lock${event.holder !== undefined ? ` to ${event.holder}` : ''}`;
    case 'lock-release-failed':
      return `could not release the migration lock (it expires by its TTL): ${event.error}`;
    case 'failed-row-removed':
      return `removed the FAILED row of version ${event.version}`;
    case 'checksum-realigned':
      return `realigned the checksum of version ${event.version}: ${short(event.from)} -> ${short(event.to)}`;
    case 'baselined':
      return `baselined at version ${event.version}`;
    default:
      return undefined;
  }
}

/** `up` in human mode: a summary (the per-file lines were printed as progress). */
export function upSummary(keyspace: string, results: readonly MigrationResult[]): string {
  if (results.length === 0) return `keyspace ${keyspace} is up to date`;
  const total = results.reduce((sum, r) => sum + r.executionMs, 0);
  return `applied ${results.length} migration${results.length === 1 ? '' : 's'} to keyspace ${keyspace} in ${total} ms`;
}

/** `up --dry-run` in human mode: the CQL, file by file, ready to paste into cqlsh. */
export function dryRunText(keyspace: string, results: readonly MigrationResult[]): string {
  if (results.length === 0) return `-- keyspace ${keyspace} is up to date: nothing would run`;
  const blocks = results.map(
    (r) =>
      `-- ${r.file} (version ${r.version}, checksum ${short(r.checksum)}, ${r.statements.length} statement(s))\n` +
      r.statements.map((s) => `${s};`).join('\n\n'),
  );
  return [`-- dry run: would apply ${results.length} migration(s) in keyspace ${keyspace}`, ...blocks].join('\n\n');
}

/** `status` / `validate` in human mode: one row per version, then the problems. */
export function statusText(status: MigrationStatus): string {
  const header = ['VERSION', 'STATE', 'FILE', 'CHECKSUM', 'APPLIED AT', 'MS'];
  const rows = status.entries.map((e) => [
    String(e.version),
    e.state.toUpperCase(),
    e.file ?? e.description,
    e.appliedChecksum !== undefined &&
    e.checksum !== undefined &&
    e.appliedChecksum !== e.checksum &&
    e.state === 'applied'
      ? `${short(e.checksum)} (recorded ${short(e.appliedChecksum)})`
      : short(e.checksum ?? e.appliedChecksum),
    e.appliedAt !== undefined ? e.appliedAt.toISOString() : '-',
    e.executionMs !== undefined ? String(e.executionMs) : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const count = (state: string): number => status.entries.filter((e) => e.state === state).length;
  const lines = [
    `keyspace ${status.keyspace}${status.initialized ? '' : ' (never migrated)'}: ` +
      `${count('applied')} applied, ${count('pending')} pending, ${count('failed')} failed`,
    ...(rows.length > 0 ? [line(header), ...rows.map(line)] : ['no migrations']),
  ];
  for (const entry of status.entries) {
    if (entry.state === 'failed') lines.push(`version ${entry.version} failed: ${entry.error ?? 'unknown error'}`);
  }
  for (const problem of status.problems) lines.push(`problem: ${problem.message}`);
  return lines.join('\n');
}

export function repairText(keyspace: string, result: RepairResult): string {
  if (result.removedFailed.length === 0 && result.realignedChecksums.length === 0) {
    return `keyspace ${keyspace}: nothing to repair`;
  }
  return (
    `keyspace ${keyspace} repaired: removed FAILED rows [${result.removedFailed.join(', ')}], ` +
    `realigned checksums [${result.realignedChecksums.join(', ')}]`
  );
}
