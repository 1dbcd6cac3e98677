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

export function hideBanner() {
  document.getElementById('banner').hidden = true;
  kind = null;
}

export function clearTrouble() {
  if (kind === 'unavailable' || kind === 'network') hideBanner();
}

export function initBanner() {
  document.getElementById('banner-dismiss').addEventListener('click', hideBanner);
}
