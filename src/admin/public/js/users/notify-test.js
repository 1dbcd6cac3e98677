import { api, seg } from '../api.js';
import { h, statusLine } from '../dom.js';
import { oneAtATime } from '../one-at-a-time.js';
import { announce, report } from '../report.js';

/**
 * "Send a test notification" (POST /api/users/:id/notify-test), next to the user's notification URL: one signed test
 * event to the saved URL (else the server's NOTIFY_WEBHOOK_URL), and what the receiver did, in words.
 */
export function notifyTestControl(user) {
  const status = statusLine('action-status notify-test-status');
  const button = h('button', { type: 'button', class: 'small' }, 'Send a test notification');
  const send = oneAtATime(button, async () => {
    announce(status, 'Sending a test notification…');
    try {
      announce(status, sentence(await api.post(`users/${seg(user.id)}/notify-test`)));
    } catch (err) {
      report(status, err, 'No test notification was sent');
    }
  });
  button.addEventListener('click', () => send());
  return h('div', { class: 'notify-test' },
    button,
    h('p', { class: 'hint' }, 'Goes to the saved URL (save a changed one first), or to the server\'s default webhook when none is saved.'),
    status);
}

function sentence(result) {
  if (result.delivered) return `The receiver took the test notification (HTTP ${result.status}).`;
  return `The test notification was not delivered: ${result.reason}.`;
}
