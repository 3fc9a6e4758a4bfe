// The page script of the web app, run once when the page loads (gr.HTML js_on_load). It only adds
// behaviour to markup the tabs render: no server calls of its own, no text of its own beyond labels.
//
// 问答: each [ref] marker in an answer becomes a link that opens that source in a card beside the
//   marker and in the sources panel; clicking an earlier answer shows that answer's sources; each
//   answer gets a badge with its mode (from the panel's data-mode) and a 来源 button that brings its
//   sources into view (on a phone the panel is far below), both outside the copied text; a counter
//   under the question box; the question box takes the focus on a wide screen only (on a phone that
//   would scroll the page past the tabs and open the keyboard).
// 原文: the outline tree opens a section (through the hidden #outline-ref box) and is filtered as
//   typed, also with an input method (composition events: filter when the composition ends).
// Dropdowns: focused, the box's text is selected, so what is typed replaces the shown choice and
//   filters the list (instead of searching for "全部部门水利"); the list follows the text as typed,
//   also with an input method.
(() => {
  if (window.__planAssistant) return;
  window.__planAssistant = true;
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
  const REF = /\[([^\[\]\s]{1,40})\]/g;

  // ---- 问答 ----------------------------------------------------------------------------------
  const botRows = () => $$("#chatbot .message-row.bot-row");
  const panelSections = () => $$("#sources .turn-sources");

  function showAnswer(k) {
    const sections = panelSections();
    if (!sections[k]) return null;
    sections.forEach((s, i) => s.classList.toggle("shown", i === k));
    botRows().forEach((r, i) => r.classList.toggle("answer-selected", i === k && sections.length > 1));
    return sections[k];
  }

  function closeCard() {
    $$(".ref-card").forEach((c) => c.remove());
  }

  function openRef(k, ref, marker) {
    const section = showAnswer(k);
    if (!section) return;
    const cite = $$("details.cite", section).find((d) => d.dataset.ref === ref);
    if (!cite) return;
    $$("details.cite", section).forEach((d) => { d.open = d === cite; });
    cite.classList.add("flash");
    setTimeout(() => cite.classList.remove("flash"), 1200);
    const panel = $("#sources");
    if (panel && panel.getBoundingClientRect().top >= 0 && window.innerWidth > 900) {
      cite.scrollIntoView({ block: "nearest" });
    }
    closeCard();
    const card = document.createElement("div");
    card.className = "ref-card";
    card.setAttribute("role", "dialog");
    const close = document.createElement("button");
    close.className = "ref-card-close";
    close.textContent = "×";
    close.setAttribute("aria-label", "关闭");
    close.addEventListener("click", (e) => { e.stopPropagation(); closeCard(); });
    const title = document.createElement("div");
    title.className = "ref-card-title";
    title.textContent = $("summary", cite).textContent;
    const body = $(".cite-text", cite).cloneNode(true);
    card.append(close, title, body);
    const row = marker.closest(".message-row") || marker.parentElement;
    row.after(card);
  }

  function decorateChat() {
    const sections = panelSections();
    botRows().forEach((row, k) => {
      const section = sections[k];
      const answer = $(".message:not(.thought) [data-testid=bot]", row);
      if (!answer || !section) return;
      const refs = new Set($$("details.cite", section).map((d) => d.dataset.ref));
      const walker = document.createTreeWalker(answer, NodeFilter.SHOW_TEXT);
      const texts = [];
      while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.parentElement.closest(".ref-link, .mode-badge") && REF.test(node.data)) texts.push(node);
        REF.lastIndex = 0;
      }
      for (const node of texts) {
        const frag = document.createDocumentFragment();
        let pos = 0;
        for (const m of node.data.matchAll(REF)) {
          if (!refs.has(m[1])) continue;
          frag.append(node.data.slice(pos, m.index));
          const link = document.createElement("a");
          link.className = "ref-link";
          link.href = "#";
          link.dataset.ref = m[1];
          link.title = "查看原文";
          link.textContent = m[0];
          frag.append(link);
          pos = m.index + m[0].length;
        }
        if (pos === 0) continue;
        frag.append(node.data.slice(pos));
        node.replaceWith(frag);
      }
      const mode = section.dataset.mode;
      if (mode && !$(".mode-badge", answer)) {
        const badge = document.createElement("span");
        badge.className = "mode-badge";
        badge.textContent = mode;
        badge.setAttribute("aria-label", "回答方式：" + mode);
        answer.append(badge);
      }
      if ($("details.cite", section) && !$(".sources-jump", answer)) {
        const jump = document.createElement("button");
        jump.type = "button";
        jump.className = "sources-jump";
        jump.textContent = "来源";
        jump.title = "查看这一回答所依据的原文";
        answer.append(jump);
      }
    });
  }

  function jumpToSources(k) {
    const section = showAnswer(k);
    if (!section) return;
    const panel = $("#sources");
    const box = panel.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) panel.scrollIntoView({ block: "start" });
    const first = $("details.cite", section);
    if (first) {
      first.open = true;
      first.classList.add("flash");
      setTimeout(() => first.classList.remove("flash"), 1200);
    }
  }

  document.addEventListener("click", (e) => {
    const link = e.target.closest("#chatbot .ref-link");
    const row = e.target.closest("#chatbot .message-row.bot-row");
    const jump = e.target.closest("#chatbot .sources-jump");
    if (jump) {
      e.preventDefault();
      e.stopPropagation();
      jumpToSources(botRows().indexOf(jump.closest(".message-row")));
    } else if (link) {
      e.preventDefault();
      openRef(botRows().indexOf(link.closest(".message-row")), link.dataset.ref, link);
    } else if (row && !e.target.closest("button, .thought")) {
      showAnswer(botRows().indexOf(row));
    }
    const item = e.target.closest("#outline-tree .toc-item");
    if (item) {
      e.preventDefault();
      openOutline(item.dataset.ref);
    }
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeCard(); });

  // ---- dropdowns -----------------------------------------------------------------------------
  let selectedOnFocus = null;
  document.addEventListener("focusin", (e) => {
    if (!e.target.matches || !e.target.matches("input[role=combobox]")) return;
    e.target.select();
    selectedOnFocus = e.target;  // the click that focused it must not undo the selection
  });
  document.addEventListener("mouseup", (e) => {
    if (selectedOnFocus && e.target === selectedOnFocus) e.preventDefault();
    selectedOnFocus = null;
  }, true);
  // Gradio's dropdown filters its list on keydown, reading the box before the key's text is in it,
  // and not at all for text an input method commits: after each change of a dropdown's text, a
  // keydown of no key makes it filter on the text as it now is.
  function refilter(input) {
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Unidentified", bubbles: true }));
  }
  document.addEventListener("input", (e) => {
    if (!e.isComposing && e.target.matches && e.target.matches("input[role=combobox]")) refilter(e.target);
  });
  document.addEventListener("compositionend", (e) => {
    if (e.target.matches && e.target.matches("input[role=combobox]")) refilter(e.target);
  });
  const PLACEHOLDERS = { "task-dept": "全部部门" };
  function placeholders() {
    for (const [id, text] of Object.entries(PLACEHOLDERS)) {
      const input = $(`#${id} input`);
      if (input && !input.placeholder) input.placeholder = text;
    }
  }

  function focusQuestion() {
    const box = $("#question textarea");
    if (box && window.matchMedia("(min-width: 901px)").matches && document.activeElement === document.body) {
      box.focus({ preventScroll: true });
    }
  }

  function updateCounter() {
    const box = $("#question textarea");
    const counter = $("#question-counter");
    if (!box || !counter) return;
    const max = Number(counter.dataset.max);
    const n = [...box.value.trim()].length;
    const text = n > max ? `${n} / ${max} 字：超出的部分不会用于检索，只按前 ${max} 字作答` : `${n} / ${max}`;
    counter.classList.toggle("over", n > max);
    if (counter.textContent !== text) counter.textContent = text;  // no mutation, no new round
  }
  document.addEventListener("input", (e) => {
    if (e.target.closest("#question")) updateCounter();
    if (e.target.id === "outline-filter" && !e.isComposing) filterOutline(e.target.value);
  });
  document.addEventListener("compositionend", (e) => {
    if (e.target.id === "outline-filter") filterOutline(e.target.value);
  });

  // ---- 原文 ----------------------------------------------------------------------------------
  function openOutline(ref) {
    const box = $("#outline-ref textarea, #outline-ref input");
    if (!box) return;
    box.value = ref;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.dispatchEvent(new KeyboardEvent("keypress", { key: "Enter", code: "Enter", keyCode: 13, bubbles: true }));
    markOutline(ref);
  }

  function markOutline(ref) {
    $$("#outline-tree .toc-item").forEach((a) => {
      const here = a.dataset.ref === ref;
      a.classList.toggle("current", here);
      if (here) {
        const part = a.closest("details");
        if (part) part.open = true;
        a.scrollIntoView({ block: "nearest" });
      }
    });
  }

  function filterOutline(text) {
    const q = text.trim().toLowerCase();
    let shown = 0;
    $$("#outline-tree li").forEach((li) => {
      const own = $(":scope > .toc-item", li);
      const hit = !q || (own && own.textContent.toLowerCase().includes(q));
      li.dataset.hit = hit ? "1" : "";
    });
    $$("#outline-tree li").forEach((li) => {
      const visible = li.dataset.hit === "1" || $$("li", li).some((c) => c.dataset.hit === "1");
      li.hidden = !visible;
      if (visible && li.dataset.hit === "1") shown += 1;
      const part = $(":scope > details", li);
      if (part && q) part.open = visible;
    });
    const none = $("#outline-none");
    if (none) none.hidden = shown > 0;
  }

  let pending = 0;
  new MutationObserver(() => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      decorateChat();
      updateCounter();
      placeholders();
      const node = $("#section .node[data-ref]");
      const current = $("#outline-tree .toc-item.current");
      if (node && (!current || current.dataset.ref !== node.dataset.ref)) markOutline(node.dataset.ref);
      if (!node && current) current.classList.remove("current");
    });
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  focusQuestion();
})();
