// Reminders per key: armed once, cancelled elsewhere; a call never clears and re-arms the same
// entry, so nothing is debounced.
// expect: none
const reminders = new Map();

function remind(id, at, send) {
  if (reminders.has(id)) return;
  reminders.set(
    id,
    setTimeout(() => {
      reminders.delete(id);
      send(id);
    }, at - Date.now()),
  );
}

function cancel(id) {
  clearTimeout(reminders.get(id));
  reminders.delete(id);
}

module.exports = { remind, cancel };
