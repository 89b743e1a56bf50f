/**
 * @module
 * `archiveReport`: one result over every file of a queue — `archive.jsonl` (one line per
 * input: status, outputs, error), and for speaker detection `archive.rttm` and `archive.csv`
 * (every segment of every file) plus `index.html`, a table linking each file's timeline report.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import type { Job } from 'bullmq';
import { toRttm } from '../speaker/formats.js';
import type { Segment } from '../speaker/segments.js';
import { writeAtomically } from './atomic-output.js';
import { resultStem, type JobData, type JobResult } from './job-data.js';
import type { OpenQueue } from './queue-connection.js';

const PAGE = 1000;

/** One input's line in the archive. */
interface Row {
  input: string;
  kind: string;
  status: 'done' | 'failed' | 'pending';
  outputs: string[];
  error?: string;
  uri?: string;
  duration?: number;
  threshold?: number;
  segments?: Segment[];
}

/** What `archiveReport` wrote. */
export interface ArchiveSummary {
  files: string[];
  done: number;
  failed: number;
  pending: number;
  segments: number;
}

/** Writes the archive files into `outDir` (created by the caller). */
export async function archiveReport(q: OpenQueue, outDir: string): Promise<ArchiveSummary> {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const rows: Row[] = [];
  for (const [state, status] of [
    ['completed', 'done'],
    ['failed', 'failed'],
    ['waiting', 'pending'],
    ['active', 'pending'],
    ['delayed', 'pending'],
  ] as const) {
    for (let start = 0; ; start += PAGE) {
      const page = (await q.queue.getJobs([state], start, start + PAGE - 1, true)) as Job<JobData, JobResult>[];
      for (const j of page) if (j) rows.push(rowOf(j, status));
      if (page.length < PAGE) break;
    }
  }
  rows.sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
  // RTTM recording names: the file's name without extension, as `speaker detect` writes it,
  // unless two inputs share it; then the result stem (name + 8 digits of the job id)
  const stems = new Map<string, number>();
  for (const r of rows) stems.set(fileStem(r.input), (stems.get(fileStem(r.input)) ?? 0) + 1);
  for (const r of rows) if (r.uri && stems.get(fileStem(r.input)) === 1) r.uri = fileStem(r.input);

  const files: string[] = [];
  const put = async (name: string, text: string) => {
    const p = resolve(dir, name);
    await writeAtomically(p, (tmp) => writeFileSync(tmp, text));
    files.push(p);
  };
  await put('archive.jsonl', rows.map((r) => `${JSON.stringify({ ...r, uri: undefined })}\n`).join(''));
  const speaker = rows.filter((r) => r.kind === 'speaker-detect');
  let nSeg = 0;
  if (speaker.length > 0) {
    const done = speaker.filter((r) => r.segments);
    nSeg = done.reduce((s, r) => s + r.segments!.length, 0);
    await put('archive.rttm', done.map((r) => toRttm({ duration: r.duration!, threshold: r.threshold!, segments: r.segments! }, r.uri!)).join(''));
    await put(
      'archive.csv',
      `file,start,end,score\n${done.flatMap((r) => r.segments!.map((s) => `${csvField(r.input)},${s.start.toFixed(3)},${s.end.toFixed(3)},${s.score.toFixed(3)}\n`)).join('')}`,
    );
    await put('index.html', renderIndex(speaker, dir));
  }
  return {
    files,
    done: rows.filter((r) => r.status === 'done').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    pending: rows.filter((r) => r.status === 'pending').length,
    segments: nSeg,
  };
}

function rowOf(j: Job<JobData, JobResult>, status: Row['status']): Row {
  const d = j.data;
  const row: Row = { input: d.input, kind: d.kind, status, outputs: status === 'done' ? (j.returnvalue?.outputs ?? []) : [] };
  if (status === 'failed') row.error = j.failedReason;
  if (d.kind === 'speaker-detect') {
    row.uri = resultStem(d.input, j.id!);
    const json = row.outputs.find((o) => o.endsWith('.json'));
    if (json) {
      try {
        const r = JSON.parse(readFileSync(json, 'utf8')) as { duration: number; threshold: number; segments: Segment[] };
        Object.assign(row, { duration: r.duration, threshold: r.threshold, segments: r.segments });
      } catch (err) {
        row.status = 'failed';
        row.error = `result ${json} cannot be read: ${(err as Error).message}`;
      }
    }
  }
  return row;
}

const fileStem = (p: string): string => basename(p).replace(/\.[^.]*$/, '');
const csvField = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const hms = (s: number): string =>
  `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

function renderIndex(rows: Row[], dir: string): string {
  const done = rows.filter((r) => r.segments);
  const total = done.reduce((s, r) => s + (r.duration ?? 0), 0);
  const speaking = done.reduce((s, r) => s + r.segments!.reduce((a, x) => a + x.end - x.start, 0), 0);
  const body = rows
    .map((r) => {
      const report = r.outputs.find((o) => o.endsWith('.html'));
      const name = esc(basename(r.input));
      const link = report ? `<a href="${esc(relative(dir, report).split('/').map(encodeURIComponent).join('/'))}">${name}</a>` : name;
      if (r.status !== 'done' || !r.segments)
        return `<tr class="${r.status}"><td>${link}<div class="path">${esc(dirname(r.input))}</div></td><td colspan="4">${r.status}${r.error ? `: ${esc(r.error)}` : ''}</td></tr>`;
      const sp = r.segments.reduce((a, x) => a + x.end - x.start, 0);
      const share = r.duration ? sp / r.duration : 0;
      return `<tr><td>${link}<div class="path">${esc(dirname(r.input))}</div></td><td class="n">${hms(r.duration ?? 0)}</td><td class="n">${hms(sp)}</td><td class="n">${r.segments.length}</td><td><div class="bar"><div style="width:${(share * 100).toFixed(1)}%"></div></div></td></tr>`;
    })
    .join('\n');
  const failed = rows.filter((r) => r.status === 'failed').length;
  const pending = rows.filter((r) => r.status === 'pending').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Speaker detection: ${rows.length} files</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em;margin:0 0 .2em}
.sum{color:#555;margin-bottom:1.2em}
table{border-collapse:collapse;width:100%}
th,td{padding:.35em .6em;border-bottom:1px solid #e4e4e4;text-align:left;vertical-align:top}
th{background:#f6f6f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.path{color:#888;font-size:.85em}
.bar{background:#eee;height:.8em;width:12em;border-radius:2px}
.bar div{background:#2b7bd6;height:100%;border-radius:2px}
tr.failed td{background:#fff0f0;color:#a00}
tr.pending td{color:#888}
</style></head><body>
<h1>Speaker detection over ${rows.length} files</h1>
<div class="sum">${done.length} done, ${failed} failed, ${pending} pending &middot; ${hms(total)} of audio, target speaking ${hms(speaking)} &middot; all segments: <a href="archive.rttm">archive.rttm</a>, <a href="archive.csv">archive.csv</a>, <a href="archive.jsonl">archive.jsonl</a></div>
<table><thead><tr><th>file (timeline report)</th><th>duration</th><th>speaking</th><th>segments</th><th>share of time</th></tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
}
