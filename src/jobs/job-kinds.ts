/**
 * @module
 * What each job kind does with one input: the same library calls as the CLI command it
 * mirrors, with the result written atomically under the job's output directory. Models are
 * loaded once per worker process and reused across jobs (`ModelCache`).
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { logMelFile, type LogKind } from '../audio/index.js';
import { UsageError } from '../core/errors.js';
import { writeNpy } from '../core/npy.js';
import { DEFAULT_FASTTEXT, formatScore, formatVector, openFastText, splitLines, splitWords, type VectorModel } from '../fasttext/index.js';
import { loadLinearModel, predictFile, type LinearModel } from '../linear/index.js';
import { detectSpeaker, formatDetection, loadSpeakerModel, writeReport, type SpeakerModel } from '../speaker/index.js';
import { writeAtomically } from './atomic-output.js';
import { resultStem, type JobData, type JobKind, type JobResult } from './job-data.js';

/** Models loaded by one worker, by kind and path. */
export class ModelCache {
  private readonly models = new Map<string, Promise<unknown>>();
  private get<T>(key: string, load: () => Promise<T>): Promise<T> {
    let m = this.models.get(key);
    if (!m) {
      m = load();
      m.catch(() => this.models.delete(key)); // a failed load is retried by the next job
      this.models.set(key, m);
    }
    return m as Promise<T>;
  }
  speaker(dir: string): Promise<SpeakerModel> {
    return this.get(`speaker:${dir}`, () => loadSpeakerModel(dir));
  }
  linear(path: string): Promise<LinearModel> {
    return this.get(`linear:${path}`, () => loadLinearModel(path));
  }
  fasttext(path: string): Promise<VectorModel> {
    return this.get(`fasttext:${path}`, async () => openFastText(path));
  }
  /** Frees every model. */
  async close(): Promise<void> {
    for (const [key, m] of this.models) {
      const model = await m.catch(() => null);
      if (!model) continue;
      if (key.startsWith('speaker:')) (model as SpeakerModel).dispose();
      else if (key.startsWith('fasttext:')) (model as VectorModel).close();
    }
    this.models.clear();
  }
}

/** The files a job of `kind` writes, for the stem of its input. */
export function resultFiles(data: JobData, id: string): string[] {
  const base = join(data.out, resultStem(data.input, id));
  switch (data.kind) {
    case 'speaker-detect':
      return [`${base}.json`, `${base}.html`];
    case 'audio-mel':
      return [`${base}.npy`];
    case 'linear-predict':
      return [`${base}.tsv`];
    case 'fasttext-predict':
    case 'fasttext-vectors':
      return [`${base}.txt`];
  }
}

/** Runs one job's work and writes its results; returns what to record in the queue (without timing and host). */
export async function runJobKind(data: JobData, id: string, models: ModelCache): Promise<Pick<JobResult, 'outputs' | 'duration' | 'speaking' | 'segments'>> {
  const outputs = resultFiles(data, id);
  const o = data.options;
  const model = (): string => {
    if (!data.model) throw new UsageError(`job ${id}: ${data.kind} needs a model`);
    return data.model;
  };
  switch (data.kind as JobKind) {
    case 'speaker-detect': {
      const m = await models.speaker(model());
      const r = await detectSpeaker(m, data.input, { threshold: typeof o.threshold === 'number' ? o.threshold : undefined });
      // the report first, the JSON last: a present .json means the job's results are complete
      await writeAtomically(outputs[1]!, (tmp) => writeReport(tmp, r, { audioPath: data.input, title: data.input.split('/').pop()! }));
      await writeAtomically(outputs[0]!, (tmp) => writeFileSync(tmp, formatDetection(r, 'json')));
      const speaking = r.segments.reduce((s, x) => s + (x.end - x.start), 0);
      return { outputs, duration: r.duration, speaking, segments: r.segments.length };
    }
    case 'audio-mel': {
      const mel = await logMelFile(data.input, {
        sampleRate: num(o.sampleRate),
        nFft: num(o.nFft),
        hopLength: num(o.hopLength),
        nMels: num(o.nMels),
        log: typeof o.log === 'string' ? (o.log as LogKind) : undefined,
      });
      await writeAtomically(outputs[0]!, (tmp) => writeNpy(tmp, mel.data, [mel.nMels, mel.nFrames]));
      return { outputs };
    }
    case 'linear-predict': {
      const m = await models.linear(model());
      await writeAtomically(outputs[0]!, async (tmp) => {
        const out = createWriteStream(tmp);
        let pending: string[] = [];
        const drain = async (): Promise<void> => {
          const text = pending.join('');
          pending = [];
          if (text && !out.write(text)) await once(out, 'drain');
        };
        await predictFile(m, data.input, (p) => pending.push(`${p.label}\t${Number(p.score.toPrecision(6))}\n`), {
          skipBad: o.skipBad === true,
          afterChunk: drain,
        });
        await drain();
        out.end();
        await once(out, 'finish');
      });
      return { outputs };
    }
    case 'fasttext-predict': {
      const m = await models.fasttext(model());
      const k = num(o.k) ?? DEFAULT_FASTTEXT.predictK;
      const threshold = num(o.threshold) ?? DEFAULT_FASTTEXT.threshold;
      const text = new Uint8Array(readFileSync(data.input));
      await writeAtomically(outputs[0]!, (tmp) => {
        const parts: string[] = [];
        for (const { line, ended } of splitLines(text)) {
          const preds = m.predict(line, k, threshold, { eos: ended });
          parts.push(`${preds.map((p) => `${p.label} ${formatScore(p.prob)}`).join(' ')}\n`);
        }
        writeFileSync(tmp, parts.join(''));
      });
      return { outputs };
    }
    case 'fasttext-vectors': {
      const m = await models.fasttext(model());
      const text = new Uint8Array(readFileSync(data.input));
      await writeAtomically(outputs[0]!, (tmp) => {
        const parts: Buffer[] = [];
        for (const word of splitWords(text)) parts.push(Buffer.from(word), Buffer.from(` ${formatVector(m.wordVector(word))}\n`));
        writeFileSync(tmp, Buffer.concat(parts));
      });
      return { outputs };
    }
  }
  throw new UsageError(
    `job ${id}: unknown kind '${String(data.kind)}' (this worker runs ${['speaker-detect', 'audio-mel', 'linear-predict', 'fasttext-predict', 'fasttext-vectors'].join(', ')})`,
  );
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
