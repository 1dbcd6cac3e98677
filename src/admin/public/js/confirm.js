/**
 * Asks the user to confirm a destructive action in the page's modal <dialog>.
 * Resolves true only when the confirm button was pressed (Escape and Cancel resolve false).
 */
export function confirmAction({ title, text, confirmLabel = 'Delete', cancelLabel = 'Cancel' }) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = confirmLabel;
  document.getElementById('confirm-cancel').textContent = cancelLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}
