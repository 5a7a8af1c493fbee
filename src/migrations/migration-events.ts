/**
 * What a MigrationRunner reports while it works (umzug-style typed events). Every event is a plain,
 * JSON-serialisable object, so a structured logger can print it as is.
 */
export type MigrationEvent =
  | { readonly type: 'keyspace-created'; readonly keyspace: string; readonly replication: string }
  | { readonly type: 'lock-waiting'; readonly holder: string; readonly waitedMs: number }
  | { readonly type: 'lock-acquired'; readonly owner: string }
  | { readonly type: 'lock-released'; readonly owner: string }
  | { readonly type: 'lock-release-failed'; readonly owner: string; readonly error: string }
  | { readonly type: 'lock-lost'; readonly owner: string; readonly holder?: string }
  | { readonly type: 'migrating'; readonly version: number; readonly file: string; readonly statements: number }
  | {
      readonly type: 'migrated';
      readonly version: number;
      readonly file: string;
      readonly statements: number;
      readonly executionMs: number;
    }
  | {
      readonly type: 'migration-failed';
      readonly version: number;
      readonly file: string;
      readonly statementIndex: number;
      readonly line: number;
      readonly error: string;
    }
  | { readonly type: 'schema-agreement-waiting'; readonly waitedMs: number }
  | { readonly type: 'baselined'; readonly version: number }
  | { readonly type: 'failed-row-removed'; readonly version: number }
  | { readonly type: 'checksum-realigned'; readonly version: number; readonly from: string; readonly to: string };

export type MigrationEventType = MigrationEvent['type'];

/** The event of one type. */
export type MigrationEventOf<T extends MigrationEventType> = Extract<MigrationEvent, { type: T }>;

/** A structured logger; `console` fits. Warnings are the events an operator should look at. */
export interface MigrationLogger {
  info(event: MigrationEvent): void;
  warn(event: MigrationEvent): void;
}

const WARNINGS: ReadonlySet<MigrationEventType> = new Set<MigrationEventType>([
  'lock-release-failed',
  'lock-lost',
  'migration-failed',
  'checksum-realigned',
]);

type Listener = (event: MigrationEvent) => void;

/** Fans events out to the logger and the `on` listeners; a throwing listener never breaks a run. */
export class MigrationEventBus {
  private readonly listeners = new Map<MigrationEventType, Set<Listener>>();

  constructor(private readonly logger?: MigrationLogger) {}

  on<T extends MigrationEventType>(type: T, listener: (event: MigrationEventOf<T>) => void): () => void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    this.listeners.set(type, set);
    const wrapped = listener as Listener;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  emit(event: MigrationEvent): void {
    try {
      if (WARNINGS.has(event.type)) this.logger?.warn(event);
      else this.logger?.info(event);
    } catch {
      // Logging must not change the outcome of a migration.
    }
    for (const listener of this.listeners.get(event.type) ?? []) {
      try {
        listener(event);
      } catch {
        // Same for listeners.
      }
    }
  }
}
