// After a save the page opens with a message saying what happened. Move the focus there, so that a keyboard
// or screen-reader user starts from the confirmation instead of the top of the page.
const message = document.querySelector("[data-focus-on-load]");
if (message) {
  message.focus();
}
