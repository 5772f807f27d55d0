// The question editor: "Insert" buttons put a placeholder into the text where the cursor is.
// Without scripts the buttons stay hidden and the list shows each token to copy.
document.addEventListener("DOMContentLoaded", () => {
  const text = document.getElementById("text");
  if (!text || text.readOnly) return;
  for (const button of document.querySelectorAll("button[data-insert]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      text.setRangeText(button.dataset.insert, text.selectionStart, text.selectionEnd, "end");
      text.focus();
    });
  }
});
