// Runs first on every page of the app, the login page too (put there by assistant.web.login.PageHead),
// before Gradio's own scripts:
// - Gradio chooses its interface language from the browser's; the app is Chinese whatever the browser
//   says, so the browser's language reads as zh-CN (texts Gradio lacks in Chinese come from the i18n
//   table app.py passes to launch());
// - texts Gradio writes in English without translating them (toast titles, the table's search box,
//   button titles and aria labels) are replaced by Chinese ones as they appear;
// - on a phone or tablet every field's text is at least 16px (iOS zooms into a focused field with
//   smaller text), the login page's too; on a phone the page's side margins are narrow (Gradio scopes
//   the CSS given to launch() to the content inside them);
// - a login refused for too many attempts (HTTP 429 from assistant.web.login.throttled) shows its
//   message, with the wait, on the login form: Gradio's form shows nothing for it.
(() => {
  if (window.__planAssistantHead) return;
  window.__planAssistantHead = true;
  for (const [name, value] of [["language", "zh-CN"], ["languages", Object.freeze(["zh-CN", "zh"])]]) {
    try {
      Object.defineProperty(Navigator.prototype, name, { get: () => value, configurable: true });
    } catch (e) { /* the browser's own language then */ }
  }

  const style = document.createElement("style");
  style.textContent = "@media (max-width: 900px), (pointer: coarse) {"
    + " input, textarea, select { font-size: 16px !important; } }"
    + " @media (max-width: 640px) { .gradio-container .main { padding-left: 10px !important;"
    + " padding-right: 10px !important; } }";
  document.head.append(style);

  // ---- Gradio's untranslated English ----------------------------------------------------------
  const WORDS = {
    "Search...": "在表格中搜索…",
    "Filter...": "筛选…",
    "Enter text to search the table": "输入文字，在表格中搜索",
    "Enter text to filter the table": "输入文字，筛选表格",
    "Copy table data": "复制表格",
    "Copied to clipboard": "已复制",
    "Fullscreen": "全屏",
    "Exit fullscreen": "退出全屏",
    "Exit fullscreen mode": "退出全屏",
    "Click to upload or drop files": "点击选择文件，或把文件拖到这里",
    "File upload": "上传文件",
    "Scroll down": "滚动到底部",
    "Table actions": "表格操作",
    "Dataframe": "表格",
    "chatbot conversation": "对话内容",
    "Gradio footer navigation": "页脚链接",
    "More tabs": "更多",
    "Copy": "复制",
    "Copied": "已复制",
    "Copy message": "复制",
    "Copied message": "已复制",
    "Close": "关闭",
    "Clear": "清除",
    "Download": "下载",
    "Reset to default value": "恢复默认值",
    "Like": "赞",
    "Dislike": "踩",
    "Liked": "已赞",
    "Disliked": "已踩",
  };
  const PATTERNS = [
    [/^File: (.+)$/, "文件：$1"],
    [/^Download (.+)$/, "下载 $1"],
    [/^number input for (.+)$/, "$1（输入数字）"],
    [/^range slider for (.+)$/, "$1（拖动选择）"],
  ];
  const TOAST_TITLES = { Error: "错误", Warning: "注意", Info: "提示", Success: "完成" };
  const ATTRS = ["title", "aria-label", "placeholder"];

  function chinese(text) {
    if (Object.hasOwn(WORDS, text)) return WORDS[text];
    for (const [re, to] of PATTERNS) if (re.test(text)) return text.replace(re, to);
    return null;
  }

  function fixElement(el) {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      const zh = value && chinese(value.trim());
      if (zh) el.setAttribute(name, zh);
    }
  }

  function fixToastTitle(span) {
    const node = span.firstChild;
    if (node && node.nodeType === Node.TEXT_NODE) {
      const word = node.data.trim();
      if (Object.hasOwn(TOAST_TITLES, word)) node.data = node.data.replace(word, TOAST_TITLES[word]);
    }
  }

  function fixTree(root) {
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    root.querySelectorAll("[title], [aria-label], [placeholder]").forEach(fixElement);
    if (root.matches(".toast-title")) fixToastTitle(root);
    root.querySelectorAll(".toast-title").forEach(fixToastTitle);
  }

  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "attributes") fixElement(m.target);
      else if (m.type === "characterData") {
        const span = m.target.parentElement && m.target.parentElement.closest(".toast-title");
        if (span) fixToastTitle(span);
      } else m.addedNodes.forEach(fixTree);
    }
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
  });

  // ---- the login form: a refusal for too many attempts ------------------------------------------
  function loginNote(text) {
    const password = document.querySelector("input[type=password]");
    const panel = password && password.closest(".form") && password.closest(".form").parentElement;
    if (!panel) return;
    let note = panel.querySelector(".login-wait");
    if (!text) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "login-wait";
      note.setAttribute("role", "alert");
      note.style.cssText = "color: #dc2626; margin: 0 0 8px; font-weight: 600;";
      panel.querySelector(".form").before(note);
    }
    note.textContent = text;
  }

  const fetchOriginal = window.fetch;
  window.fetch = async function (input, init) {
    const response = await fetchOriginal.apply(this, arguments);
    try {
      const url = new URL(typeof input === "string" ? input : input.url || String(input), location.href);
      if (init && init.method === "POST" && /\/login\/?$/.test(url.pathname)) {
        if (response.status === 429) {
          const body = await response.clone().json().catch(() => ({}));
          loginNote(body.detail || "登录尝试过多，请稍后重试");
        } else {
          loginNote("");
        }
      }
    } catch (e) { /* never in the way of the request itself */ }
    return response;
  };
  if (document.title === "Gradio" || !document.title) document.title = "计划助手";
})();
