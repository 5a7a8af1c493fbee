import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { useFreshKeyspace } from '../../support/cassandra';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(__dirname, 'child', 'traced-run.ts');

interface ExportedSpan {
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId?: string;
  readonly attributes: Record<string, unknown>;
}

/** Runs the traced application in its own process; resolves with the spans it printed. */
function runTracedChild(keyspace: string): Promise<ExportedSpan[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, keyspace], {
      cwd: ROOT,
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{"spans"'));
      if (code !== 0 || line === undefined) reject(new Error(`traced child exited with ${code}; stderr: ${stderr}`));
      else resolve((JSON.parse(line) as { spans: ExportedSpan[] }).spans);
    });
  });
}

const PACKAGE_SPAN = /^(chat_history|sessions|migrations)\./;

describe('the cassandra-driver instrumentation nests its query spans under the package spans', () => {
  const ks = useFreshKeyspace('otel_driver', { create: false });
  let spans: ExportedSpan[];

  beforeAll(async () => {
    spans = await runTracedChild(ks.keyspace);
  });

  it('every driver span descends from a package span, in the same trace', () => {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const driverSpans = spans.filter((s) => s.name.startsWith('cassandra-driver.'));
    expect(driverSpans.length).toBeGreaterThan(10);
    const orphans = driverSpans.filter((span) => {
      for (
        let parent = span.parentId && byId.get(span.parentId);
        parent;
        parent = parent.parentId && byId.get(parent.parentId)
      ) {
        if (PACKAGE_SPAN.test(parent.name)) return parent.traceId !== span.traceId;
      }
      return true;
    });
    expect(orphans.map((s) => s.name)).toEqual([]);
    // CLIENT spans (kind 2) of Cassandra under INTERNAL ones (kind 0).
    expect(new Set(driverSpans.map((s) => s.kind))).toEqual(new Set([2]));
    expect(new Set(driverSpans.map((s) => s.attributes['db.system.name']))).toEqual(new Set(['cassandra']));
  });

  it('each operation has its own driver spans as direct children', () => {
    const children = (operation: ExportedSpan) =>
      spans.filter((s) => s.parentId === operation.spanId && s.name.startsWith('cassandra-driver.'));
    const operations = spans.filter((s) => PACKAGE_SPAN.test(s.name));
    expect(operations.map((s) => s.name)).toEqual([
      'migrations.up',
      'sessions.create',
      'chat_history.add_messages',
      'chat_history.get_messages',
      'chat_history.iterate',
      'chat_history.count',
      'sessions.delete',
    ]);
    for (const operation of operations) {
      expect({ operation: operation.name, driverSpans: children(operation).length > 0 }).toEqual({
        operation: operation.name,
        driverSpans: true,
      });
      expect(operation.parentId).toBeUndefined();
    }
    const addMessages = operations.find((s) => s.name === 'chat_history.add_messages')!;
    // The message write is among them: on one node (every node a replica) it is one prepared BATCH
    // statement, an execute; as a Mapper batch it would show as cassandra-driver.batch.
    const names = children(addMessages).map((s) => s.name);
    expect(names).toContain('cassandra-driver.execute');
    expect(names).not.toContain('cassandra-driver.batch');
    // iterate's pages (fetch size 1, two messages) are fetched inside its span, step by step.
    const iterate = operations.find((s) => s.name === 'chat_history.iterate')!;
    expect(children(iterate).length).toBeGreaterThanOrEqual(2);
  });

  it('the driver spans carry no message content (statements are off by default)', () => {
    expect(JSON.stringify(spans)).not.toMatch(/child content|u-otel-child/);
  });
});
