import { readFileSync } from 'node:fs';
import { openFastText } from './dist/fasttext/index.js';
const lines = readFileSync('./bench/data/fasttext-predict/lines.txt', 'utf8').trim().split('\n');
const all = Array.from({ length: 10 }, () => lines).flat();
const m = openFastText('/work/data/ft-predict/lid.176.ftz');
for (let i = 0; i < 3; i++) m.predictBatch(all, 3);
