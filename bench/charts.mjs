// Renders the charts of a benchmark result (bench/results/latest.json by default) as SVG files beside
// it, with Vega-Lite compiled to Vega and rendered headless by Vega's own SVG renderer (no browser,
// no canvas). An ES module because vega and vega-lite ship as ES modules only; `npm run bench` calls
// it after writing the results, and `node bench/charts.mjs <results.json>` re-renders by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

const LABELS = { raw: 'raw driver', ours: 'ours (ChatHistory)', langchain: 'LangChain.js' };
const ORDER = Object.values(LABELS);
const color = {
  field: 'contender',
  type: 'nominal',
  sort: ORDER,
  scale: { domain: ORDER, range: ['#4c78a8', '#f58518', '#54a24b'] },
};

const ok = (outcome) => (outcome && !('error' in outcome) ? outcome : undefined);

function appendSpec(r) {
  const values = [];
  for (const [name, outcome] of Object.entries(r.workloads.append ?? {})) {
    const a = ok(outcome);
    if (a) values.push({ contender: LABELS[name], rate: Math.round(a.messagesPerSecond) });
  }
  const c = r.config.append;
  return {
    title: `Append throughput (${c.sessions} sessions in parallel, ${c.messagesPerSession} messages each)`,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'contender', type: 'nominal', sort: ORDER, title: null },
      x: { field: 'rate', type: 'quantitative', title: 'messages/s (higher is better)' },
      color: { ...color, legend: null },
    },
    width: 480,
  };
}

function lastSpec(r) {
  const values = [];
  for (const [name, outcome] of Object.entries(r.workloads.last ?? {})) {
    for (const row of ok(outcome) ?? []) {
      values.push({
        contender: LABELS[name],
        size: row.size,
        p50: row.latencyMs.p50,
        correct: row.correct ? 'right messages' : 'wrong messages',
      });
    }
  }
  return {
    title: `Last-${r.config.last.count} read latency (p50) against session size`,
    data: { values },
    mark: { type: 'line', point: { size: 80, filled: true } },
    encoding: {
      x: { field: 'size', type: 'quantitative', scale: { type: 'log' }, title: 'messages in the session (log scale)' },
      y: { field: 'p50', type: 'quantitative', scale: { type: 'log' }, title: 'p50 latency, ms (log scale)' },
      color,
      shape: { field: 'correct', type: 'nominal', title: 'answer' },
    },
    width: 480,
    height: 260,
  };
}

function chatSpec(r) {
  const values = [];
  for (const [name, outcome] of Object.entries(r.workloads.chat ?? {})) {
    const t = ok(outcome);
    if (!t) continue;
    values.push({ contender: LABELS[name], percentile: 'p50', ms: t.latencyMs.p50 });
    values.push({ contender: LABELS[name], percentile: 'p99', ms: t.latencyMs.p99 });
  }
  return {
    title: `Chat-turn latency (${r.config.chat.sessions} sessions, ${r.config.chat.concurrency} turns in flight)`,
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'percentile', type: 'nominal', title: null },
      xOffset: { field: 'contender', sort: ORDER },
      y: { field: 'ms', type: 'quantitative', title: 'turn latency, ms (lower is better)' },
      color,
    },
    width: 360,
    height: 260,
  };
}

async function render(spec) {
  const compiled = vegaLite.compile({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  return view.toSVG();
}

const input = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const results = JSON.parse(readFileSync(input, 'utf8'));
const prefix = join(dirname(input), basename(input).replace(/\.json(\.tmp)?$/, ''));
const charts = [
  ['append', appendSpec, results.workloads.append],
  ['last-latency', lastSpec, results.workloads.last],
  ['chat-turn', chatSpec, results.workloads.chat],
];
for (const [name, spec, data] of charts) {
  if (!data) continue;
  const file = `${prefix}.${name}.svg`;
  writeFileSync(file, await render(spec(results)));
  process.stdout.write(`chart written: ${file}\n`);
}
