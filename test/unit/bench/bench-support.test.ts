import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, UsageError, type BenchConfig } from '../../../bench/config';
import { checkRange, indexOf, turn, turns } from '../../../bench/support/messages';
import { README_END, README_START, updateReadmeSection } from '../../../bench/support/readme-section';
import { percentile, rotation, sortedCopy } from '../../../bench/support/stats';

function config(argv: string[], env: NodeJS.ProcessEnv = {}): BenchConfig {
  const loaded = loadConfig(argv, env);
  if (loaded === 'help') throw new Error('unexpected help');
  return loaded;
}

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = sortedCopy([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });

  it('rotates the contenders so each takes every position', () => {
    expect(rotation(['raw', 'ours', 'langchain'], 0)).toEqual(['raw', 'ours', 'langchain']);
    expect(rotation(['raw', 'ours', 'langchain'], 1)).toEqual(['ours', 'langchain', 'raw']);
    expect(rotation(['raw', 'ours', 'langchain'], 5)).toEqual(['langchain', 'raw', 'ours']);
  });
});

describe('bench messages', () => {
  it('generates tagged turns of the requested size with alternating roles', () => {
    const t = turn(41, 500);
    expect(t.content).toHaveLength(500);
    expect(indexOf(t.content)).toBe(41);
    expect(turns(0, 3, 100).map((x) => x.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('accepts exactly the expected range in chronological order', () => {
    const contents = turns(950, 50, 40).map((t) => t.content);
    expect(checkRange(contents, 950, 50)).toEqual({ ok: true, detail: '50 of 50, in order' });
  });

  it('reports the oldest page of a truncated read as wrong', () => {
    const oldest = turns(4950, 50, 40).map((t) => t.content);
    const check = checkRange(oldest, 9950, 50);
    expect(check.ok).toBe(false);
    expect(check.detail).toBe('50 returned, 0 of the 50 expected (indexes 4950..4999)');
  });

  it('reports reordered messages as wrong', () => {
    const reversed = turns(0, 5, 40)
      .map((t) => t.content)
      .reverse();
    expect(checkRange(reversed, 0, 5).ok).toBe(false);
  });
});

describe('bench configuration', () => {
  it('defaults to the full sizes of the issue', () => {
    const c = config([]);
    expect(c.mode).toBe('full');
    expect(c.contenders).toEqual(['raw', 'ours', 'langchain']);
    expect(c.append).toEqual({ sessions: 64, messagesPerSession: 200, slices: 10, rounds: 5 });
    expect(c.last.sizes).toEqual([100, 10_000, 100_000]);
    expect(c.fullRead.messages).toBe(12_000);
    expect(c.clear.messages).toBe(10_000);
    expect(c.memory).toMatchObject({ small: 1_000, large: 100_000 });
    expect(c.out.markdown).toMatch(/bench\/results\/latest\.md$/);
  });

  it('--quick shrinks the sizes and writes git-ignored files', () => {
    const c = config(['--quick']);
    expect(c.mode).toBe('quick');
    // As many sessions in flight as the full run (its ratios must resemble the full run's), fewer
    // messages each and smaller sizes elsewhere.
    expect(c.append.sessions).toBe(64);
    expect(c.append.messagesPerSession).toBeLessThan(200);
    expect(c.fullRead.messages).toBeLessThan(12_000);
    expect(c.last.sizes[c.last.sizes.length - 1]).toBeLessThan(100_000);
    expect(c.out.markdown).toMatch(/\.tmp$/);
    expect(c.out.json).toMatch(/\.tmp$/);
  });

  it('takes sizes from flags first, then BENCH_* variables', () => {
    const c = config(['--append-sessions=8', '--only', 'raw,langchain'], {
      BENCH_APPEND_SESSIONS: '4',
      BENCH_CLEAR_MESSAGES: '77',
    });
    expect(c.append.sessions).toBe(8);
    expect(c.clear.messages).toBe(77);
    expect(c.contenders).toEqual(['raw', 'langchain']);
  });

  it('refuses unknown flags, contenders and non-positive sizes', () => {
    expect(() => loadConfig(['--bogus'])).toThrow(UsageError);
    expect(() => loadConfig(['--only', 'raw,mongo'])).toThrow(/unknown "mongo"/);
    expect(() => loadConfig(['--append-sessions=0'])).toThrow(/positive integer/);
    expect(loadConfig(['--help'])).toBe('help');
  });
});

describe('README section update', () => {
  it('replaces only the text between the markers', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-readme-')), 'README.md');
    writeFileSync(path, `# Title\n\n## Performance\n\n${README_START}\nold table\n${README_END}\n\n## After\n`);
    expect(updateReadmeSection(path, 'new table')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(
      `# Title\n\n## Performance\n\n${README_START}\nnew table\n${README_END}\n\n## After\n`,
    );
  });

  it('leaves a README without markers alone', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bench-readme-')), 'README.md');
    writeFileSync(path, '# Title\n');
    expect(updateReadmeSection(path, 'table')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('# Title\n');
  });
});
