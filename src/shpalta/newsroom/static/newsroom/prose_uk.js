// The rich-text editor's toolbar in Ukrainian. django-prose-editor 0.28 sends its dialogs
// through Django's JavaScript catalogue (locale/uk/LC_MESSAGES/djangojs.po), but writes the
// toolbar's tooltips and its menu entries in English: they are replaced here as the editor
// builds them.
(function () {
  "use strict";
  const words = {
    "bold": "Жирний",
    "italic": "Курсив",
    "underline": "Підкреслений",
    "strike": "Закреслений",
    "subscript": "Нижній індекс",
    "superscript": "Верхній індекс",
    "unordered list": "Маркований список",
    "ordered list": "Нумерований список",
    "blockquote": "Цитата",
    "horizontal rule": "Горизонтальна лінія",
    "insert link": "Посилання",
    "remove link": "Прибрати посилання",
    "undo": "Скасувати",
    "redo": "Повторити",
    "paragraph": "Абзац",
    "Paragraph": "Абзац",
    "figure": "Ілюстрація",
    "edit HTML": "Редагувати HTML",
    "Code": "Код",
    "Code block": "Блок коду",
    "Insert table": "Вставити таблицю",
    "Add column": "Додати стовпець",
    "Delete column": "Видалити стовпець",
    "Add row": "Додати рядок",
    "Delete row": "Видалити рядок",
    "Delete table": "Видалити таблицю",
    "Merge cells": "Об’єднати клітинки",
    "Split cell": "Розділити клітинку",
    "Toggle header cell": "Клітинка-заголовок",
    "Block style": "Стиль блоку",
    "Reset all classes": "Скинути всі класи",
    "Styles": "Стилі",
  };
  const heading = /^heading (\d)$/i;

  function translated(text) {
    if (text in words) return words[text];
    const level = heading.exec(text);
    return level ? "Заголовок " + level[1] : null;
  }

  function translate(root) {
    const labelled = ".prose-menubar [title], .prose-menubar [aria-label], dialog [title]";
    for (const node of root.querySelectorAll(labelled)) {
      for (const name of ["title", "aria-label"]) {
        const value = node.getAttribute(name);
        const ukrainian = value && translated(value);
        if (ukrainian) node.setAttribute(name, ukrainian);
      }
    }
    for (const option of root.querySelectorAll(".prose-menubar__dropdown *, .prose-menubar *")) {
      if (option.children.length || option.classList.contains("material-icons")) continue;
      const ukrainian = translated(option.textContent);
      if (ukrainian) option.textContent = ukrainian;
    }
  }

  function watch() {
    for (const editor of document.querySelectorAll(".prose-editor")) translate(editor);
    new MutationObserver(function (changes) {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE) translate(node.parentNode || node);
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
