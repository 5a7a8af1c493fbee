import type { RoundTripCounter } from '../support/round-trips';
import type { Turn } from '../support/messages';

export type ContenderName = 'raw' | 'ours' | 'langchain';

export const CONTENDER_NAMES: readonly ContenderName[] = ['raw', 'ours', 'langchain'];

/** Where seeded messages sit in time: message i of n at `endMs - (n - 1 - i) * intervalMs`. */
export interface SeedPlan {
  readonly endMs: number;
  readonly intervalMs: number;
  readonly contentBytes: number;
}

/** Settings every contender receives when it opens a keyspace. */
export interface OpenOptions {
  /** Width of a message bucket for the time-bucketed layout (raw and ours). */
  readonly bucketSpanMs: number;
}

/** One conversation as a contender exposes it. Reads return message contents, oldest first. */
export interface SessionHandle {
  add(turn: Turn): Promise<void>;
  addMany(turns: readonly Turn[]): Promise<void>;
  last(count: number): Promise<readonly string[]>;
  all(): Promise<readonly string[]>;
  iterate(): AsyncIterable<string>;
  clear(): Promise<void>;
  /** Frees what the handle holds (LangChain.js opens a driver client per history). */
  release(): Promise<void>;
}

/** A contender opened on one fresh keyspace. */
export interface ContenderInstance {
  /** Requests this contender's clients sent to Cassandra. */
  readonly roundTrips: RoundTripCounter;
  /** A ready handle: connection made and statements warm where the contender allows it. */
  session(sessionId: string): Promise<SessionHandle>;
  /** Writes `count` messages into a session fast, bypassing the contender's write path (untimed). */
  seed(sessionId: string, count: number, plan: SeedPlan): Promise<void>;
  close(): Promise<void>;
}

/**
 * The CPU work a contender does per message before the driver sees it: validation and the mapping
 * from the caller's message to bound values, with no network. `run` is what gets timed.
 */
export interface TransformProbe {
  run(turns: readonly Turn[]): unknown;
}

export interface Contender {
  readonly name: ContenderName;
  readonly label: string;
  /** The version of the code under test (package or driver version). */
  readonly version: string;
  /** Creates what the contender needs in `keyspace` (the keyspace itself included) and connects. */
  open(keyspace: string, options: OpenOptions): Promise<ContenderInstance>;
  /** Connects to a keyspace `open` prepared earlier, with no DDL and nothing an application would not hold. */
  attach(keyspace: string, options: OpenOptions): Promise<ContenderInstance>;
  transformProbe(options: OpenOptions): Promise<TransformProbe>;
}
