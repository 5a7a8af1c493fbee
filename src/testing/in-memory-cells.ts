// How the in-memory tables store data, as Cassandra does: cells with write timestamps and expiry
// times, tombstones, and Cassandra's rule for which of two versions of a cell wins.
import { encodeCql } from './cql-values';

/** A cell: a value (null: a tombstone), its write timestamp (µs), its expiry (s since the epoch). */
export interface Cell {
  readonly value: unknown;
  readonly ts: number;
  readonly expiresAtSec?: number;
}

/** A set column: its elements as cells, and the timestamp of its last full overwrite or delete. */
export interface SetCells {
  deletedAt: number;
  readonly elements: Map<string, Cell & { readonly element: unknown }>;
}

export interface Row {
  readonly clustering: readonly unknown[];
  marker?: Cell;
  deletedAt: number;
  readonly cells: Map<string, Cell>;
  readonly sets: Map<string, SetCells>;
}

export interface RangeTombstone {
  readonly position: number;
  readonly op: '<' | '<=' | '>' | '>=';
  readonly value: unknown;
  readonly ts: number;
}

export interface Partition {
  deletedAt: number;
  readonly statics: Map<string, Cell>;
  readonly rows: Map<string, Row>;
  readonly ranges: RangeTombstone[];
}

export const NO_DELETION = Number.NEGATIVE_INFINITY;

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

export function isLive(cell: Cell | undefined, floor: number, now: number): cell is Cell {
  if (cell === undefined || cell.value === null || cell.ts <= floor) return false;
  return cell.expiresAtSec === undefined || now < cell.expiresAtSec;
}

/** Cassandra's reconciliation of two versions of one cell: higher timestamp, then delete, then larger value. */
export function newer(candidate: Cell, existing: Cell | undefined): boolean {
  if (existing === undefined || candidate.ts > existing.ts) return true;
  if (candidate.ts < existing.ts) return false;
  if (candidate.value === null) return true;
  if (existing.value === null) return false;
  return encodeCql(candidate.value) > encodeCql(existing.value);
}

export function put<K, C extends Cell>(map: Map<K, C>, key: K, cell: C): void {
  if (newer(cell, map.get(key))) map.set(key, cell);
}
