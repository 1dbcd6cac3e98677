import { VoicePath, voicePathOf, VoiceUrls } from '../../src/voice/urls';

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

/** The number's fallback answers a failed stage again only when ErrorUrl is one of the URLs the app handed out. */
describe('our own stage URLs, parsed back', () => {
  const urls = new VoiceUrls('https://example.com/calls');

  it('a URL the app built gives back its stage and its query', () => {
    expect(urls.parse(urls.build(VoicePath.FollowMeDialAction, { step: 2 }))).toEqual({ path: VoicePath.FollowMeDialAction, query: { step: '2' } });
    expect(urls.parse(urls.build(VoicePath.ExtendRingQueueExit))).toEqual({ path: VoicePath.ExtendRingQueueExit, query: {} });
  });

  it.each([
    ['another host', 'https://elsewhere.example.com/calls/voice/follow-me/dial-action?step=0'],
    ['another scheme', 'http://example.com/calls/voice/follow-me/dial-action?step=0'],
    ['another path prefix', 'https://example.com/other/voice/follow-me/dial-action?step=0'],
    ['no path prefix', 'https://example.com/voice/follow-me/dial-action?step=0'],
    ['a path that is no stage', 'https://example.com/calls/voice/follow-me/dial-action/more'],
    ['not a URL', 'not a url'],
    ['nothing', undefined],
  ])('%s is not ours', (_what, url) => {
    expect(urls.parse(url)).toBeUndefined();
  });
});
