// «Завантажити фото» in the article text editor's toolbar: a small form (file, alt text,
// caption, credit) sends the photo to the library (photos.views.editor_upload: verified,
// stripped of its metadata, one library image per file) and inserts the figure it answers,
// whose address is the library reference the page shows through renditions.
(function () {
  "use strict";
  // Loaded before the editor's own modules (no defer) so that their «prose-editor:ready» event
  // is heard; the page is parsed by the time it comes.
  const ACCEPT = "image/jpeg,image/png,image/webp,image/avif,image/gif";

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.assign(node, attributes || {});
    for (const child of children || []) node.append(child);
    return node;
  }

  function field(label, input) {
    return element("p", {}, [element("label", { htmlFor: input.id, textContent: label }), input]);
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function dialogFor(editor, n, url) {
    const id = (name) => "photos-upload-" + n + "-" + name;
    const file = element("input", { type: "file", name: "file", id: id("file"), accept: ACCEPT, required: true });
    const alt = element("input", { type: "text", name: "alt", id: id("alt"), maxLength: 300, required: true });
    const caption = element("input", { type: "text", name: "caption", id: id("caption"), maxLength: 300 });
    const credit = element("input", { type: "text", name: "credit", id: id("credit"), maxLength: 200 });
    const status = element("p", { className: "photos-upload__status", role: "alert" });
    const send = element("button", { type: "submit", className: "button default", textContent: "Завантажити й вставити" });
    const cancel = element("button", { type: "button", className: "button", textContent: "Скасувати" });
    const form = element("form", { className: "photos-upload__form", method: "dialog" }, [
      element("h2", { textContent: "Завантажити фото в текст" }),
      field("Файл фото (JPEG, PNG, WebP, AVIF або GIF)", file),
      field("Опис для незрячих (alt), обов’язково", alt),
      field("Підпис", caption),
      field("Автор фото", credit),
      status,
      element("p", { className: "photos-upload__actions" }, [send, " ", cancel]),
    ]);
    form.noValidate = true; // the messages below, in Ukrainian, rather than the browser's
    const dialog = element("dialog", { className: "photos-upload" }, [form]);
    dialog.setAttribute("aria-labelledby", id("title"));
    form.querySelector("h2").id = id("title");
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!file.files.length) return (status.textContent = "Виберіть файл фото.");
      if (!alt.value.trim()) {
        alt.focus();
        return (status.textContent = "Додайте опис для незрячих (alt): без нього фото не вставити.");
      }
      send.disabled = true;
      status.textContent = "Завантажуємо й очищаємо фото від метаданих…";
      try {
        const response = await fetch(url, {
          method: "POST",
          body: new FormData(form),
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
          credentials: "same-origin",
        });
        let answer = {};
        try {
          answer = await response.json();
        } catch (error) {
          answer = {};
        }
        if (!response.ok || !answer.html) {
          status.textContent = answer.error || "Не вдалося завантажити фото (відповідь " + response.status + "). Спробуйте ще раз.";
          return;
        }
        editor.chain().focus().insertContent(answer.html).run();
        form.reset();
        status.textContent = "";
        dialog.close();
      } catch (error) {
        status.textContent = "Не вдалося зв’язатися із сайтом. Перевірте з’єднання і спробуйте ще раз.";
      } finally {
        send.disabled = false;
      }
    });
    document.body.append(dialog); // outside the article's form: a form of its own
    return dialog;
  }

  let count = 0;
  function attach(editor, root) {
    const config = document.getElementById("photos-editor-upload");
    if (!config) return; // no right to add photos: no button
    const url = config.dataset.url;
    const menubar = root && root.querySelector(".prose-menubar:not(.prose-menubar--floating)");
    if (!menubar || menubar.querySelector(".photos-upload-button")) return;
    const dialog = dialogFor(editor, ++count, url);
    const button = element("button", {
      type: "button",
      className: "prose-menubar__button material-icons photos-upload-button",
      textContent: "add_photo_alternate",
      title: "Завантажити фото",
    });
    button.setAttribute("aria-label", "Завантажити фото");
    button.addEventListener("click", () => dialog.showModal());
    menubar.append(element("div", { className: "prose-menubar__group" }, [button]));
  }

  document.addEventListener("prose-editor:ready", (event) => {
    const { editor, textarea } = event.detail;
    const root = textarea.closest(".prose-editor") || textarea.parentNode;
    if (root.querySelector(".prose-menubar")) return attach(editor, root);
    // the toolbar is drawn just after the editor is ready
    const watcher = new MutationObserver(() => {
      if (!root.querySelector(".prose-menubar")) return;
      watcher.disconnect();
      attach(editor, root);
    });
    watcher.observe(root, { childList: true, subtree: true });
  });
})();
