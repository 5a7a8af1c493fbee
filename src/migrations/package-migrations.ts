import { join } from 'node:path';

/**
 * The package's own migrations folder. Resolved from this module's location, which is
 * `<package>/src/migrations` under ts-node and jest and `<package>/dist/migrations` once built:
 * both are two levels below the package root, where `migrations/` ships.
 */
export const PACKAGE_MIGRATIONS_DIRECTORY: string = join(__dirname, '..', '..', 'migrations');
