import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'cassandra-driver';

const REPO_ROOT = join(__dirname, '..', '..');

/** The installed version of a package from the repository's node_modules, or `unknown`. */
export function packageVersion(name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The version of this repository's package (the code under test). */
export function ownVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly cassandra: string;
  readonly contactPoints: string;
  readonly packages: Readonly<Record<string, string>>;
  /** 1-minute load average when the run started and when it ended: other work on the machine. */
  readonly loadAverage: { readonly start: number; readonly end?: number };
}

/** The 1-minute load average, rounded. */
export function currentLoad(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}

export async function machineInfo(client: Client): Promise<MachineInfo> {
  const local = await client.execute('SELECT release_version FROM system.local');
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    cassandra: String(local.first()?.get('release_version') ?? 'unknown'),
    contactPoints: process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1 (self-booted node)',
    packages: Object.fromEntries(
      ['cassandra-driver', '@langchain/community', '@langchain/core', 'class-validator', 'class-transformer'].map(
        (name) => [name, packageVersion(name)],
      ),
    ),
    loadAverage: { start: currentLoad() },
  };
}
