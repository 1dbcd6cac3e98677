import type { Core } from '../core';
import type { RecordingView } from '../types';
import { accountPath, rfc2822, RestFailure } from './json';
import type { RestRoute } from './router';

/**
 * Recordings: `<RecordingUrl>.json` (metadata), `.mp3` / `.wav` / no extension (audio: silence of the
 * recording's length), DELETE. Like an account that enforces HTTP auth on media, audio needs credentials.
 */
export function recordingRoutes(core: Core): RestRoute[] {
  return [
    {
      method: 'GET', path: '/Recordings/:file', handle: ({ params }) => {
        const { sid, ext } = splitFile(params.file!);
        const rec = findRecording(core, sid);
        if (ext === 'json') return { status: 200, json: recordingJson(core, rec) };
        const audio = ext === 'mp3' ? silentMp3(rec.seconds) : silentWav(rec.seconds);
        return { status: 200, contentType: ext === 'mp3' ? 'audio/mpeg' : 'audio/x-wav', body: audio };
      },
    },
    {
      method: 'DELETE', path: '/Recordings/:file', handle: ({ params }) => {
        const rec = findRecording(core, splitFile(params.file!).sid);
        core.recordings.splice(core.recordings.indexOf(rec), 1);
        return { status: 204 };
      },
    },
  ];
}

function splitFile(file: string): { sid: string; ext: 'json' | 'mp3' | 'wav' } {
  const m = /^(RE[0-9a-f]{32})(?:\.(json|mp3|wav))?$/i.exec(file);
  if (!m) throw new RestFailure(404, 20404, `The requested resource /Recordings/${file} was not found`);
  return { sid: m[1], ext: (m[2]?.toLowerCase() as 'json' | 'mp3' | 'wav' | undefined) ?? 'wav' };
}

function findRecording(core: Core, sid: string): RecordingView {
  const rec = core.recordings.find((r) => r.sid === sid);
  if (!rec) throw new RestFailure(404, 20404, `The requested resource /Recordings/${sid} was not found`);
  return rec;
}

/** Statuses of a recording whose length is not final yet: its `duration` is null (nullable in Twilio's API definition). */
const NOT_FINAL: ReadonlySet<string> = new Set(['in-progress', 'paused', 'stopped', 'processing']);

/** Twilio's Recording resource (API 2010-04-01): `duration` a string of seconds, `uri` the resource's path with .json. */
function recordingJson(core: Core, rec: RecordingView): Record<string, unknown> {
  const base = accountPath(core.accountSid);
  return {
    sid: rec.sid, account_sid: core.accountSid, api_version: '2010-04-01', call_sid: rec.callSid, conference_sid: null,
    status: rec.status, duration: NOT_FINAL.has(rec.status) ? null : String(rec.seconds), channels: 1, source: 'RecordVerb',
    error_code: rec.errorCode ?? null, price: null, price_unit: 'USD', encryption_details: null,
    start_time: rfc2822(rec.startedAt), date_created: rfc2822(rec.startedAt), date_updated: rfc2822(core.clock.now()),
    media_url: rec.url,
    subresource_uris: {
      add_on_results: `${base}/Recordings/${rec.sid}/AddOnResults.json`,
      transcriptions: `${base}/Recordings/${rec.sid}/Transcriptions.json`,
    },
    uri: `${base}/Recordings/${rec.sid}.json`,
  };
}

/** MPEG-1 Layer III, 32 kbit/s, 32 kHz, mono: 144-byte frames of 36 ms whose all-zero side info decodes to silence. */
function silentMp3(seconds: number): Buffer {
  const frame = Buffer.alloc(144);
  frame.set([0xff, 0xfb, 0x18, 0xc0]);
  return Buffer.concat(Array.from({ length: Math.max(1, Math.ceil((seconds * 1000) / 36)) }, () => frame));
}

/** 8 kHz, 8-bit unsigned PCM, mono: 0x80 is silence. */
function silentWav(seconds: number): Buffer {
  const samples = Math.max(1, Math.round(seconds * 8000));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 0x80)]);
}
