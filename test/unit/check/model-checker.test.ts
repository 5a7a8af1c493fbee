import { types } from 'cassandra-driver';
import type { HistoryEvent, InvokeEvent, OkEvent } from '../../../check/consistency/history';
import { buildOps, checkHistory, timeuuidMs, type ViolationKind } from '../../../check/consistency/model-checker';

// Synthetic histories: times in ms from T0; message ids are timeuuids at T0 + their add's start.
const T0 = Date.UTC(2026, 0, 1);
const NODE = Buffer.from([1, 2, 3, 4, 5, 6]);
const CLOCK = Buffer.from([7, 8]);

function idAt(ms: number, ticks = 0): string {
  return types.TimeUuid.fromDate(new Date(T0 + ms), ticks, NODE, CLOCK).toString();
}

type Extra = Partial<Omit<InvokeEvent, 'type' | 'op' | 'worker' | 'kind' | 'session' | 'time'>>;

class H {
  readonly events: HistoryEvent[] = [];

  invoke(op: string, kind: InvokeEvent['kind'], at: number, extra: Extra = {}, session = 's'): this {
    this.events.push({ type: 'invoke', op, worker: op.split('.')[0], kind, session, time: T0 + at, ...extra });
    return this;
  }

  ok(op: string, at: number, extra: Partial<Omit<OkEvent, 'type' | 'op' | 'time'>> = {}): this {
    this.events.push({ type: 'ok', op, time: T0 + at, ...extra });
    return this;
  }

  /** An acknowledged add of one message, token = op + '.0', id at its start time. */
  add(op: string, from: number, to: number, extra: Extra = {}, session = 's'): this {
    return this.invoke(op, 'add', from, { messages: [{ token: `${op}.0` }], ...extra }, session).ok(op, to, {
      ids: [idAt(from)],
    });
  }

  read(op: string, from: number, to: number, returned: readonly string[], extra: Extra = {}, session = 's'): this {
    const messages = returned.map((token) => [this.idOf(token), token] as const);
    return this.invoke(op, 'read', from, { path: 'all', ...extra }, session).ok(op, to, { messages });
  }

  /** The id the add of `token` was given (or observed). */
  idOf(token: string): string {
    const op = token.split('.').slice(0, 2).join('.');
    const invoke = this.events.find((e): e is InvokeEvent => e.type === 'invoke' && e.op === op);
    return invoke ? idAt(invoke.time - T0) : idAt(999_999);
  }

  kinds(): ViolationKind[] {
    return checkHistory(this.events).violations.map((v) => v.kind);
  }
}

describe('the consistency model checker', () => {
  describe('rule 1: an acknowledged add is in every later whole-session read', () => {
    it('reports an acknowledged message missing from a later read', () => {
      const h = new H().add('w1.1', 0, 10).read('w2.1', 20, 30, []);
      const [violation] = checkHistory(h.events).violations;
      expect(violation).toMatchObject({ kind: 'lost', token: 'w1.1.0', op: 'w2.1', related: ['w1.1'] });
    });

    it('accepts it when the read has it, or when the add was still running as the read began', () => {
      expect(new H().add('w1.1', 0, 10).read('w2.1', 20, 30, ['w1.1.0']).kinds()).toEqual([]);
      expect(new H().add('w1.1', 0, 25).read('w2.1', 20, 30, []).kinds()).toEqual([]);
    });

    it('accepts removals that may have run before the read ended: clear, deleteMessage, sessions.delete, TTL', () => {
      const cleared = new H().add('w1.1', 0, 10).invoke('w3.1', 'clear', 25).ok('w3.1', 40).read('w2.1', 20, 30, []);
      expect(cleared.kinds()).toEqual([]);
      const deleted = new H().add('w1.1', 0, 10);
      deleted
        .invoke('w3.1', 'deleteMessage', 12, { id: idAt(0) })
        .ok('w3.1', 15)
        .read('w2.1', 20, 30, []);
      expect(deleted.kinds()).toEqual([]);
      expect(new H().add('w1.1', 0, 10).invoke('w3.1', 'sessionDelete', 12).read('w2.1', 20, 30, []).kinds()).toEqual(
        [],
      );
      expect(new H().add('w1.1', 0, 10, { ttlSeconds: 8 }).read('w2.1', 9_000, 9_010, []).kinds()).toEqual([]);
    });

    it('does not let a removal that was over before the add began excuse it (delete or clear, then a write)', () => {
      const h = new H().invoke('w3.1', 'sessionDelete', 0).ok('w3.1', 5).add('w1.1', 10, 20).read('w2.1', 30, 40, []);
      expect(h.kinds()).toEqual(['lost']);
      expect(new H().add('w1.1', 0, 10, { ttlSeconds: 8 }).read('w2.1', 20, 30, []).kinds()).toEqual(['lost']);
    });

    it('does not let a failed removal excuse it', () => {
      const h = new H().add('w1.1', 0, 10).invoke('w3.1', 'clear', 12);
      h.events.push({ type: 'fail', op: 'w3.1', time: T0 + 14, error: 'UnavailableError' });
      expect(h.read('w2.1', 20, 30, []).kinds()).toEqual(['lost']);
    });

    it('lets a trim excuse a message only when enough newer messages may have existed', () => {
      const h = new H().add('w1.1', 0, 10).add('w1.2', 20, 30);
      h.invoke('w3.1', 'trim', 40, { keepLast: 2 }).ok('w3.1', 50).read('w2.1', 60, 70, ['w1.2.0']);
      expect(h.kinds()).toEqual(['lost']);
      const enough = new H().add('w1.1', 0, 10).add('w1.2', 20, 30).add('w1.3', 32, 35);
      enough.invoke('w3.1', 'trim', 40, { keepLast: 2 }).ok('w3.1', 50).read('w2.1', 60, 70, ['w1.2.0', 'w1.3.0']);
      expect(enough.kinds()).toEqual([]);
    });

    it('stretches an unknown removal over a node freeze it overlapped', () => {
      const build = (freeze: boolean): H => {
        const h = new H();
        if (freeze) h.events.push({ type: 'fault', fault: 'freeze', node: 'n', time: T0 + 5 });
        h.invoke('w3.1', 'clear', 10);
        h.events.push({ type: 'info', op: 'w3.1', time: T0 + 2_010, error: 'RequestTimeoutError' });
        if (freeze) h.events.push({ type: 'fault', fault: 'thaw', node: 'n', time: T0 + 9_000 });
        return h.add('w1.1', 8_000, 8_010).read('w2.1', 20_000, 20_010, []);
      };
      expect(build(true).kinds()).toEqual([]);
      expect(build(false).kinds()).toEqual(['lost']);
      expect(buildOps(build(true).events).find((op) => op.id === 'w3.1')?.horizon).toBe(T0 + 12_000);
    });
  });

  describe('rule 2: no read returns a message no add wrote', () => {
    it('reports unknown messages, messages of adds invoked after the read, and adds that certainly failed', () => {
      expect(new H().read('w2.1', 20, 30, ['w9.9.0']).kinds()).toEqual(['phantom']);
      expect(new H().read('w2.1', 20, 30, ['w1.1.0']).add('w1.1', 40, 50).kinds()).toEqual(['phantom']);
      const failed = new H().invoke('w1.1', 'add', 0, { messages: [{ token: 'w1.1.0' }] });
      failed.events.push({ type: 'fail', op: 'w1.1', time: T0 + 10, error: 'UnavailableError' });
      expect(failed.read('w2.1', 20, 30, ['w1.1.0']).kinds()).toEqual(['failed-add-visible']);
    });

    it('accepts the message of an add with an unknown outcome (a timeout, a killed worker)', () => {
      const h = new H().invoke('w1.1', 'add', 0, { messages: [{ token: 'w1.1.0' }] });
      h.events.push({ type: 'info', op: 'w1.1', time: T0 + 2_000, error: 'RequestTimeoutError' });
      expect(h.read('w2.1', 20, 30, ['w1.1.0']).kinds()).toEqual([]);
    });

    it('reports a message read after an acknowledged clear that began once its add was done', () => {
      const h = new H().add('w1.1', 0, 10).invoke('w3.1', 'clear', 20).ok('w3.1', 30);
      expect(h.read('w2.1', 40, 50, ['w1.1.0']).kinds()).toEqual(['resurrected']);
      const concurrent = new H().invoke('w3.1', 'clear', 5).ok('w3.1', 30).add('w1.1', 0, 10);
      expect(concurrent.read('w2.1', 40, 50, ['w1.1.0']).kinds()).toEqual([]);
    });
  });

  describe('rule 3: no duplicates', () => {
    it('reports one message twice in a read, and one add stored under another id', () => {
      expect(new H().add('w1.1', 0, 10).read('w2.1', 20, 30, ['w1.1.0', 'w1.1.0']).kinds()).toEqual(['duplicate']);
      const h = new H()
        .add('w1.1', 0, 10)
        .invoke('w2.1', 'read', 20, { path: 'all' })
        .ok('w2.1', 30, { messages: [[idAt(3), 'w1.1.0']] });
      expect(h.kinds()).toEqual(['duplicate']);
      expect(new H().add('w1.1', 0, 10).read('w2.1', 20, 30, ['w1.1.0']).kinds()).toEqual([]);
    });
  });

  describe('rule 4: order', () => {
    it('wants chronological reads ascending and newest-first reads descending', () => {
      const h = new H().add('w1.1', 0, 10).add('w1.2', 20, 30);
      expect(new H().add('w1.1', 0, 10).add('w1.2', 20, 30).read('w2.1', 40, 50, ['w1.2.0', 'w1.1.0']).kinds()).toEqual(
        ['order'],
      );
      expect(
        h
          .read('w2.1', 40, 50, ['w1.2.0', 'w1.1.0'], { path: 'pagesDesc' })
          .read('w2.2', 60, 70, ['w1.1.0', 'w1.2.0'], { path: 'iterateAsc' })
          .kinds(),
      ).toEqual([]);
    });

    it('compares timeuuids by their timestamp', () => {
      expect(timeuuidMs(idAt(1234, 5))).toBe(T0 + 1234);
    });
  });

  describe('rule 5: count()', () => {
    const count = (h: H, n: number): H => h.invoke('w2.1', 'count', 40).ok('w2.1', 50, { count: n });

    it('reports a count below what must exist or above what may exist', () => {
      expect(count(new H().add('w1.1', 0, 10).add('w1.2', 20, 30), 1).kinds()).toEqual(['count']);
      expect(count(new H().add('w1.1', 0, 10), 2).kinds()).toEqual(['count']);
    });

    it('accepts any count between the two, e.g. with an add of unknown outcome', () => {
      const h = new H().add('w1.1', 0, 10).invoke('w1.2', 'add', 20, { messages: [{ token: 'w1.2.0' }] });
      expect(count(h, 1).kinds()).toEqual([]);
      expect(
        count(new H().add('w1.1', 0, 10).invoke('w1.2', 'add', 20, { messages: [{ token: 'w1.2.0' }] }), 2).kinds(),
      ).toEqual([]);
    });

    it('in the quiescent phase, wants count() and every path to agree', () => {
      const h = new H().add('w1.1', 0, 10).add('w1.2', 20, 30);
      h.events.push({ type: 'phase', phase: 'quiescent', time: T0 + 35 });
      h.read('final.1', 40, 41, ['w1.1.0', 'w1.2.0']).read('final.2', 42, 43, ['w1.2.0', 'w1.1.0'], {
        path: 'iterateDesc',
      });
      expect(h.invoke('final.3', 'count', 44).ok('final.3', 45, { count: 2 }).kinds()).toEqual([]);
      const bad = new H().add('w1.1', 0, 10).invoke('w1.2', 'add', 20, { messages: [{ token: 'w1.2.0' }] });
      bad.events.push({ type: 'phase', phase: 'quiescent', time: T0 + 35 });
      bad.read('final.1', 40, 41, ['w1.1.0', 'w1.2.0']).read('final.2', 42, 43, ['w1.1.0'], { path: 'pagesAsc' });
      expect(bad.invoke('final.3', 'count', 44).ok('final.3', 45, { count: 1 }).kinds()).toEqual([
        'paths-disagree',
        'paths-disagree',
      ]);
    });
  });

  describe('rule 6: limit reads return the newest N', () => {
    const three = (): H => new H().add('w1.1', 0, 10).add('w1.2', 20, 30).add('w1.3', 40, 50);

    it('reports a limit read that skips a newer acknowledged message', () => {
      expect(three().read('w2.1', 60, 70, ['w1.1.0', 'w1.2.0'], { path: 'limit', limit: 2 }).kinds()).toEqual([
        'limit',
      ]);
      expect(three().read('w2.1', 60, 70, ['w1.3.0'], { path: 'limit', limit: 2 }).kinds()).toEqual(['limit']);
    });

    it('accepts the newest N, and `before` reads that stop at their id', () => {
      expect(three().read('w2.1', 60, 70, ['w1.2.0', 'w1.3.0'], { path: 'limit', limit: 2 }).kinds()).toEqual([]);
      expect(
        three()
          .read('w2.1', 60, 70, ['w1.2.0'], { path: 'before', limit: 1, before: idAt(40) })
          .kinds(),
      ).toEqual([]);
      expect(
        three()
          .read('w2.1', 60, 70, ['w1.1.0'], { path: 'before', limit: 1, before: idAt(40) })
          .kinds(),
      ).toEqual(['limit']);
    });
  });

  describe('rule 7: sessions', () => {
    it('reports a session listed twice', () => {
      const h = new H().invoke('w1.1', 'sessionList', 0).ok('w1.1', 10, { listed: ['a', 'b', 'a'] });
      expect(h.kinds()).toEqual(['session-listed-twice']);
      expect(
        new H()
          .invoke('w1.1', 'sessionList', 0)
          .ok('w1.1', 10, { listed: ['a', 'b'] })
          .kinds(),
      ).toEqual([]);
    });

    it('reports a get that returns a title an acknowledged later update had replaced (an activity write reverting it)', () => {
      const h = new H().invoke('w1.1', 'sessionCreate', 0, { title: 'A' }).ok('w1.1', 10);
      h.invoke('w2.1', 'sessionUpdate', 20, { title: 'B' }).ok('w2.1', 30);
      expect(
        h
          .invoke('w3.1', 'sessionGet', 40)
          .ok('w3.1', 50, { session: { title: 'A' } })
          .kinds(),
      ).toEqual(['session-value']);
    });

    it('accepts the last title, either of two concurrent updates, and absence after a delete', () => {
      const h = new H().invoke('w1.1', 'sessionCreate', 0, { title: 'A' }).ok('w1.1', 10);
      h.invoke('w2.1', 'sessionUpdate', 20, { title: 'B' })
        .ok('w2.1', 30)
        .invoke('w3.1', 'sessionUpdate', 25, { title: 'C' })
        .ok('w3.1', 35);
      h.invoke('w4.1', 'sessionGet', 40).ok('w4.1', 50, { session: { title: 'B' } });
      h.invoke('w4.2', 'sessionGet', 40).ok('w4.2', 50, { session: { title: 'C' } });
      expect(
        h
          .invoke('w5.1', 'sessionDelete', 60)
          .ok('w5.1', 70)
          .invoke('w4.3', 'sessionGet', 80)
          .ok('w4.3', 90, { session: null })
          .kinds(),
      ).toEqual([]);
    });
  });

  it('counts operations, acknowledgements, reads and faults', () => {
    const h = new H().add('w1.1', 0, 10).read('w2.1', 20, 30, ['w1.1.0']).invoke('w3.1', 'clear', 40);
    h.events.push(
      { type: 'fault', fault: 'kill', worker: 'w3', time: T0 + 45 },
      { type: 'fault', fault: 'spawn', worker: 'w4', time: T0 + 46 },
    );
    expect(checkHistory(h.events)).toMatchObject({
      operations: 3,
      acknowledged: 2,
      acknowledgedMessages: 1,
      reads: 1,
      faults: 1,
      violations: [],
    });
  });
});
