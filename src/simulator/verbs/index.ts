import { execDial } from '../dial';
import type { VerbHandler } from '../program';
import { execHangup, execRedirect, execReject } from './control';
import { execEnqueue, execLeave } from './enqueue';
import { execGather } from './gather';
import { execMedia } from './media';
import { execRecord } from './record';

/** Every verb the emulator carries out, by TwiML name. */
export const VERBS: Record<string, VerbHandler> = {
  Say: execMedia,
  Play: execMedia,
  Pause: execMedia,
  Gather: execGather,
  Record: execRecord,
  Redirect: execRedirect,
  Hangup: execHangup,
  Reject: execReject,
  Dial: execDial,
  Enqueue: execEnqueue,
  Leave: execLeave,
};
