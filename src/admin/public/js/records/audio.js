import { isMissingEndpoint, request, seg } from '../api.js';
import { h } from '../dom.js';
import { describe } from '../report.js';

/**
 * Voicemail audio. GET /api/voicemails/:id/audio needs the bearer token, which an <audio src> cannot
 * send, so the recording is fetched on request into a blob: URL (revoked by `revokeAll` when the page goes).
 */
export function audioLoader() {
  const urls = new Set();

  function player(voicemail, label) {
    // a live region from the start: what loading ends in (a failure, said in place of the button) is announced
    const slot = h('div', { class: 'audio-slot', 'aria-live': 'polite' });
    const load = h('button', { type: 'button', class: 'small', 'aria-label': `Load recording: ${label}` }, 'Load recording');
    load.addEventListener('click', async () => {
      load.disabled = true;
      load.textContent = 'Loading…';
      try {
        const response = await request('GET', `voicemails/${seg(voicemail.id)}/audio`, { raw: true });
        const url = URL.createObjectURL(await response.blob());
        urls.add(url);
        const audio = h('audio', { controls: true, preload: 'auto', src: url, 'aria-label': `Recording: ${label}` });
        slot.replaceChildren(audio);
        audio.focus();
      } catch (err) {
        const active = document.activeElement;
        const focusLost = !active || active === document.body || slot.contains(active);
        const message = h('span', { class: 'error', tabindex: '-1' }, isMissingEndpoint(err)
          ? 'Recording not available: this server does not serve voicemail audio yet.'
          : err.status === 404 ? 'Recording not available.' : `Could not load the recording: ${describe(err)}`);
        slot.replaceChildren(message);
        // the button had the focus (disabling it dropped it to the page): the keyboard user's place is now the message
        if (focusLost) message.focus();
      }
    });
    slot.append(load);
    return slot;
  }

  function revokeAll() {
    for (const url of urls) URL.revokeObjectURL(url);
    urls.clear();
  }

  return { player, revokeAll };
}
