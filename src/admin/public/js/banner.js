/**
 * The page-wide banner (role=alert in index.html) for trouble that is not about one field:
 * the service is unavailable (503), the server cannot be reached, or an unexpected error.
 * `clearTrouble()` hides a service/network banner once a request succeeds again.
 */
let kind = null;

export function showBanner(text, bannerKind = 'error') {
  const banner = document.getElementById('banner');
  document.getElementById('banner-text').textContent = text;
  banner.dataset.kind = bannerKind;
  banner.hidden = false;
  kind = bannerKind;
}

/** Hides the banner; the keyboard focus, when it was on the banner (its Dismiss), goes to the page's content. */
export function hideBanner() {
  const banner = document.getElementById('banner');
  const hadFocus = banner.contains(document.activeElement);
  banner.hidden = true;
  kind = null;
  if (hadFocus) document.getElementById('main').focus();
}

export function clearTrouble() {
  if (kind === 'unavailable' || kind === 'network') hideBanner();
}

export function initBanner() {
  document.getElementById('banner-dismiss').addEventListener('click', hideBanner);
}
