import type { BenchConfig } from './config';
import type { ContenderName } from './contenders/contender';
import type { MachineInfo } from './support/machine';

/** What a contender that threw during a workload gets instead of numbers: reported, never hidden. */
export interface Failure {
  readonly error: string;
}

export type Outcome<T> = T | Failure;

export function isFailure<T extends object>(outcome: Outcome<T> | undefined): outcome is Failure {
  return outcome !== undefined && 'error' in outcome;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly samples: number;
}

export interface AppendResult {
  /** Every timed message over the summed time of the slices. */
  readonly messagesPerSecond: number;
  /** Throughput of each slice, in order, and their median. */
  readonly sliceMessagesPerSecond: readonly number[];
  readonly medianSliceMessagesPerSecond: number;
  readonly roundTripsPerMessage: number;
  /** CPU time (user + system) of the benchmark process during the timed appends, per message. */
  readonly clientCpuMicrosPerMessage: number;
  /** The same, slice by slice, in order (absent in results written before it was recorded). */
  readonly sliceClientCpuMicrosPerMessage?: readonly number[];
  readonly sent: number;
  readonly stored: number;
}

export interface BatchResult {
  readonly addManyMs: Latency;
  readonly singleAddsMs: Latency;
  /** Requests per addMessages(size) call: median and worst. */
  readonly addManyRoundTrips: { readonly median: number; readonly max: number };
  readonly singleAddsRoundTrips: { readonly median: number; readonly max: number };
  readonly sent: number;
  readonly stored: number;
}

export interface LastNResult {
  readonly size: number;
  readonly latencyMs: Latency;
  readonly roundTripsPerQuery: number;
  readonly correct: boolean;
  readonly detail: string;
}

export interface FullReadResult {
  readonly ms: number;
  readonly expected: number;
  readonly returned: number;
  readonly complete: boolean;
  readonly detail: string;
  readonly roundTrips: number;
}

export interface ClearResult {
  readonly ms: number;
  readonly messages: number;
  readonly roundTrips: number;
  readonly emptyAfter: boolean;
}

export interface ChatTurnResult {
  readonly sessions: number;
  readonly turns: number;
  readonly turnsPerSecond: number;
  /** Throughput of each interleaved slice (one turn of every session), in order. */
  readonly sliceTurnsPerSecond: readonly number[];
  readonly latencyMs: Latency;
  /** Turns whose read was not exactly the newest messages in order, or whose calls failed. */
  readonly errors: number;
  readonly firstError?: string;
}

export interface TransformResult {
  readonly microsPerMessage: number;
}

export interface MemoryResult {
  readonly size: number;
  readonly iterated: number;
  /** Median over repetitions of the peak RSS growth above the post-warm-up baseline. */
  readonly peakRssGrowthMiB: number;
  readonly peakHeapGrowthMiB: number;
  readonly samplesMiB: readonly number[];
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  /** null: could not be evaluated in this run (a contender missing or failed). */
  readonly met: boolean | null;
  readonly note?: string;
}

export interface Ratio {
  readonly name: string;
  readonly value: number | null;
  /** For a throughput ratio measured in interleaved slices: the slice-by-slice ratios' range. */
  readonly spread?: SliceSpread;
}

export interface SliceSpread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly slices: number;
  /** The range is wide next to the median: one run's ratio is not to be trusted alone. */
  readonly noisy: boolean;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly mode: BenchConfig['mode'];
  readonly config: BenchConfig;
  readonly machine: MachineInfo;
  readonly contenders: readonly { readonly name: ContenderName; readonly label: string; readonly version: string }[];
  readonly workloads: {
    append?: Partial<Record<ContenderName, Outcome<AppendResult>>>;
    batch?: Partial<Record<ContenderName, Outcome<BatchResult>>>;
    last?: Partial<Record<ContenderName, Outcome<LastNResult[]>>>;
    fullRead?: Partial<Record<ContenderName, Outcome<FullReadResult>>>;
    clear?: Partial<Record<ContenderName, Outcome<ClearResult>>>;
    transform?: Partial<Record<ContenderName, Outcome<TransformResult>>>;
    chat?: Partial<Record<ContenderName, Outcome<ChatTurnResult>>>;
    memory?: Partial<Record<ContenderName, Outcome<MemoryResult[]>>>;
  };
  readonly ratios: readonly Ratio[];
  readonly targets: readonly TargetCheck[];
  readonly findings: readonly string[];
}
