#!/usr/bin/env node
/**
 * The migrations CLI: `npm run migrate -- <command>` or the `cassandra-chat-history-migrate` bin.
 * Thin on purpose: parse the arguments, call the MigrationRunner, print. Exit code 0 on success,
 * 1 on any failure (one line on stderr; the stack only with DEBUG set), 2 on a usage error.
 */
import type { Client } from 'cassandra-driver';
import { connectionSettingsFromEnv, createClient, replicationFromEnv, type Environment } from '../config';
import { MigrationError } from '../errors';
import { MigrationRunner, problemError, type MigrationEvent } from '../migrations';
import { parseMigrateArgs, USAGE, UsageError, type MigrateArgs } from './migrate-args';
import { dryRunText, progressLine, repairText, statusText, upSummary } from './migrate-output';

/** Where the CLI writes; injectable so tests can run it in-process. */
export interface CliIo {
  readonly env: Environment;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Builds the client; default: `createClient` from the CASSANDRA_* variables. */
  readonly createClient?: (env: Environment) => Client;
}

const defaultIo: CliIo = {
  env: process.env,
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function errorJson(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const details: Record<string, unknown> = { name: error.name, message: oneLine(error.message) };
  if (error instanceof MigrationError) {
    for (const key of ['version', 'file', 'statementIndex', 'line'] as const) {
      const value = (error as MigrationError & { line?: number })[key];
      if (value !== undefined) details[key] = value;
    }
  }
  return details;
}

function debugEnabled(env: Environment): boolean {
  const debug = env.DEBUG;
  return debug !== undefined && debug !== '' && debug !== '0' && debug.toLowerCase() !== 'false';
}

function describeError(error: unknown, env: Environment): string {
  if (!(error instanceof Error)) return `error: ${String(error)}`;
  const line = `error: ${error.name}: ${oneLine(error.message)}`;
  if (!debugEnabled(env)) return line;
  const parts = [error.stack ?? line];
  let cause: unknown = error.cause;
  while (cause instanceof Error) {
    parts.push(`caused by: ${cause.stack ?? cause.message}`);
    cause = cause.cause;
  }
  return parts.join('\n');
}

async function execute(args: MigrateArgs, runner: MigrationRunner, io: CliIo): Promise<number> {
  const emit = (payload: Record<string, unknown>): void =>
    io.out(JSON.stringify({ command: args.command, ...payload }));
  switch (args.command) {
    case 'up': {
      const results = await runner.up({ target: args.target, dryRun: args.dryRun });
      if (args.json) emit({ ok: true, keyspace: runner.keyspace, dryRun: args.dryRun, migrations: results });
      else io.out(args.dryRun ? dryRunText(runner.keyspace, results) : upSummary(runner.keyspace, results));
      return 0;
    }
    case 'status': {
      const status = await runner.status();
      if (args.json) emit({ ok: true, ...status });
      else io.out(statusText(status));
      return 0;
    }
    case 'validate': {
      const status = await runner.status();
      if (status.problems.length === 0) {
        if (args.json) emit({ ok: true, ...status });
        else io.out(`keyspace ${runner.keyspace} is valid\n${statusText(status)}`);
        return 0;
      }
      const error = problemError(status.problems);
      if (args.json) emit({ ok: false, ...status, error: errorJson(error) });
      else io.out(statusText(status));
      io.err(describeError(error, io.env));
      return 1;
    }
    case 'baseline': {
      const version = args.baselineVersion as number;
      await runner.baseline(version);
      if (args.json) emit({ ok: true, keyspace: runner.keyspace, baseline: version });
      else io.out(`keyspace ${runner.keyspace} baselined at version ${version}`);
      return 0;
    }
    case 'repair': {
      const result = await runner.repair();
      if (args.json) emit({ ok: true, keyspace: runner.keyspace, ...result });
      else io.out(repairText(runner.keyspace, result));
      return 0;
    }
  }
}

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let args: MigrateArgs;
  try {
    args = parseMigrateArgs(argv);
  } catch (error) {
    io.err(describeError(error, io.env));
    io.err(USAGE);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  let client: Client | undefined;
  try {
    const keyspace = args.keyspace ?? connectionSettingsFromEnv(io.env).keyspace;
    client = (io.createClient ?? ((env) => createClient({}, env)))(io.env);
    const runner = new MigrationRunner({
      client,
      keyspace,
      directory: args.directory,
      outOfOrder: args.outOfOrder,
      lockTtlSeconds: args.lockTtlSeconds,
      lockWaitTimeoutMs: args.lockWaitTimeoutMs,
      replication: replicationFromEnv(io.env),
    });
    if (!args.json) {
      const print = (event: MigrationEvent): void => {
        const line = progressLine(event);
        if (line !== undefined) io.err(line);
      };
      for (const type of [
        'keyspace-created',
        'lock-waiting',
        'migrated',
        'migration-failed',
        'schema-agreement-waiting',
        'lock-lost',
        'lock-release-failed',
        'failed-row-removed',
        'checksum-realigned',
        'baselined',
      ] as const) {
        runner.on(type, print);
      }
    }
    return await execute(args, runner, io);
  } catch (error) {
    if (args.json && !(error instanceof UsageError)) {
      io.out(JSON.stringify({ command: args.command, ok: false, error: errorJson(error) }));
    }
    io.err(describeError(error, io.env));
    return 1;
  } finally {
    await client?.shutdown().catch(() => undefined);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
