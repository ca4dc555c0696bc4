// The page's side of `submitForm` and `openTeachOnMarsApp` (src/wasm/env.rs `DomHost`), handed
// to the module by the browser entry only (Node and Workers have no DOM). The crate checks the
// form or the link, and that this is a browser page, before calling; these only make the DOM
// calls. They never throw: each returns 0, or the number of what failed.
export const dom = {
  /**
   * Posts a hidden form; `fields` is `[name, value, …]`. Built with DOM calls (never markup),
   * inputs appended and the form submitted through the prototypes, so fields named
   * `appendChild` or `submit` shadow nothing. 2: no body; 3: the DOM refused.
   */
  submitForm(action, fields) {
    const { document, Node, HTMLFormElement } = globalThis;
    if (!document.body) return 2;
    try {
      const form = document.createElement("form");
      form.setAttribute("method", "post");
      form.setAttribute("action", action);
      form.setAttribute("hidden", "");
      for (let i = 0; i < fields.length; i += 2) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = fields[i];
        input.value = fields[i + 1];
        Node.prototype.appendChild.call(form, input);
      }
      document.body.appendChild(form);
      HTMLFormElement.prototype.submit.call(form);
      return 0;
    } catch {
      return 3;
    }
  },

  /**
   * In a frame, posts `link` to the top window for `targetOrigin`; in a top-level page,
   * navigates to it. 1: no postMessage; 2: postMessage refused the origin; 3: the page
   * refused the navigation.
   */
  openApp(link, targetOrigin) {
    const { window } = globalThis;
    let top = null;
    try {
      top = window.top;
    } catch {
      // no reachable top: navigate this page
    }
    if (top && !Object.is(top, window)) {
      if (typeof top.postMessage !== "function") return 1;
      try {
        top.postMessage(link, targetOrigin);
        return 0;
      } catch {
        return 2;
      }
    }
    try {
      window.location.href = link;
      return 0;
    } catch {
      return 3;
    }
  },
};
