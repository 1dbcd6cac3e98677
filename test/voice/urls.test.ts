import { VoicePath, voicePathOf } from '../../src/voice/urls';

/** Twilio's ErrorUrl names the request that failed: the fallback must recognise our own stages by it. */
describe('which of our stages a URL Twilio names points at', () => {
  it.each([
    ['https://calls.example.com/voice/extend-ring/whisper?call=CA00000000000000000000000000000001&leg=0.0.0', VoicePath.ExtendRingWhisper],
    ['https://calls.example.com/voice/extend-ring/whisper-digits?call=CA00000000000000000000000000000001&leg=0.0.0', VoicePath.ExtendRingWhisperDigits],
    // PUBLIC_BASE_URL with a path prefix (an app behind a proxy under /calls)
    ['https://example.com/calls/voice/extend-ring/hold?call=CA00000000000000000000000000000001', VoicePath.ExtendRingHold],
  ])('%s is %s', (url, path) => {
    expect(voicePathOf(url)).toBe(path);
  });

  it.each(['https://calls.example.com/other', 'not a url', undefined])('%s is none of them', (url) => {
    expect(voicePathOf(url)).toBeUndefined();
  });
});
