/**
 * @module
 * `audioInfo`: container, codec, rate, channels and duration of a file, without decoding it.
 */
import { openAudio, type AudioInfo } from './audio-source.js';

/** What the file says about itself (WAV header natively, ffprobe for other formats). */
export async function audioInfo(path: string): Promise<AudioInfo> {
  return (await openAudio(path)).info;
}
