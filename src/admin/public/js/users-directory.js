import { api } from './api.js';

/** Every user (administrators only): for owner names in lists and the owner select in the rule editor. */
export async function loadAllUsers() {
  const users = [];
  for (let page = 1; ; page += 1) {
    const result = await api.get('users', { sort: 'name', page, pageSize: 100 });
    users.push(...result.items);
    if (users.length >= result.total || result.items.length === 0) return users;
  }
}

/** id → name, with the bootstrap administrator known as "Administrator". */
export async function userNames() {
  const names = new Map([['admin', 'Administrator']]);
  for (const user of await loadAllUsers()) names.set(user.id, user.name);
  return names;
}
