/*! vnqa chat widget — plain ES2020, no dependencies, no build step.
 *
 * Embed on any site (adds a floating button that opens the chat panel):
 *     <script src="https://vnqa.example/widget.js"></script>
 * The script calls the API at its own origin (from document.currentScript.src).
 * Optional attributes on the <script> tag:
 *     data-api="https://other.host"   API base URL (default: the script's origin)
 *     data-mode="page"                render the full-page chat (used by index.html) instead of the launcher
 *     data-target="#id"               mount point for page mode (default: #vnqa-app, else <body>)
 *     data-top-k="5"                  passages to request
 *     data-open="true"                open the panel on load (embed mode)
 *     data-published-from="2024-01-01" only answer from articles published on/after this date
 *     data-published-to="2024-12-31"   … on/before this date
 *     data-doc-ids="id1,id2"          only answer from these articles
 *     data-min-confidence="0.92"      only show answers at this confidence or above (0–1; stricter
 *                                     than the service's own threshold; fewer answers, fewer wrong ones)
 * A small API is exposed as window.vnqa: open(), close(), ask(question), clear(),
 * setFilters({published_from, published_to, doc_ids, min_confidence}) (null/omitted fields: no filter).
 *
 * Security: API text is never parsed as HTML — every string goes through textContent / text nodes.
 * Offsets: the API's offsets are Python str indices (Unicode code points); JS strings are UTF-16,
 * so offsets are converted with cpToUtf16() before slicing (identical for BMP-only text such as
 * Vietnamese, but correct for emoji and other astral characters too).
 */
(() => {
  "use strict";

  if (window.vnqa && window.vnqa.__loaded) return; // included twice: keep the first instance

  // ---------------------------------------------------------------- configuration
  const script =
    document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).find((s) => /\/widget\.js([?#]|$)/.test(s.src)) ||
    null;
  const scriptUrl = new URL(script && script.src ? script.src : location.href, location.href);
  const data = (script && script.dataset) || {};
  const API = (data.api || scriptUrl.origin).replace(/\/+$/, "");
  const ASSETS = scriptUrl.origin;
  const MODE = data.mode === "page" ? "page" : "embed";
  const TOP_K = Math.min(Math.max(parseInt(data.topK || "5", 10) || 5, 1), 20);
  const MAX_LEN = 1000;
  const filters = {};
  function setFilters(f) {
    for (const k of ["published_from", "published_to", "doc_ids", "min_confidence"]) delete filters[k];
    if (!f) return;
    if (typeof f.published_from === "string" && f.published_from) filters.published_from = f.published_from;
    if (typeof f.published_to === "string" && f.published_to) filters.published_to = f.published_to;
    if (Array.isArray(f.doc_ids) && f.doc_ids.length) filters.doc_ids = f.doc_ids.map(String);
    const floor = typeof f.min_confidence === "string" ? parseFloat(f.min_confidence) : f.min_confidence;
    if (typeof floor === "number" && floor >= 0 && floor <= 1) filters.min_confidence = floor;
  }
  setFilters({
    published_from: data.publishedFrom,
    published_to: data.publishedTo,
    doc_ids: data.docIds ? data.docIds.split(",").map((s) => s.trim()).filter(Boolean) : null,
    min_confidence: data.minConfidence,
  });
  const TIMEOUT_MS = 120000;
  const VERSION = "1";
  const STORE_KEY = "vnqa:v1:" + API;
  const MAX_STORED = 60;

  const T = {
    brand: "vnqa",
    title: "Hỏi đáp số liệu",
    subtitle: "Số liệu từ kho tài liệu, kèm trích dẫn nguồn",
    launcherOpen: "Mở hộp hỏi đáp số liệu",
    panelClose: "Đóng hộp hỏi đáp",
    newChat: "Cuộc trò chuyện mới",
    placeholder: "Hỏi về một số liệu…",
    hint: "Enter để gửi · Shift+Enter để xuống dòng",
    inputLabel: "Câu hỏi của bạn",
    send: "Gửi câu hỏi",
    log: "Cuộc trò chuyện",
    you: "Bạn hỏi",
    bot: "vnqa trả lời",
    typing: "Đang tìm câu trả lời…",
    welcome: "Xin chào! Hãy hỏi một câu về số liệu trong kho tài liệu: một con số, một tỷ lệ, một khoản tiền, một mốc thời gian… Câu trả lời luôn kèm câu gốc và nguồn trích dẫn.",
    tryThese: "Thử hỏi:",
    answer: "Câu trả lời",
    asOf: "Tính đến",
    confidence: "độ tin cậy",
    errRateLimited: (s) => `Bạn hỏi quá nhanh, xin thử lại${s ? ` sau ${s} giây` : " sau ít phút"}.`,
    source: "Nguồn",
    sources: "Nguồn tham khảo",
    older: "Số liệu trước đó",
    noAnswer: "Không tìm thấy câu trả lời trong kho tài liệu.",
    nearMiss: (c, t) => `Số liệu khả dĩ nhất chỉ đạt độ tin cậy ${c}%, dưới ngưỡng ${t}%.`,
    closest: "Các đoạn văn gần nhất với câu hỏi:",
    noPassages: "Không có đoạn văn nào liên quan.",
    openSource: (n, title) => `Mở nguồn [${n}]${title ? ": " + title : ""}`,
    untitled: "(Không có tiêu đề)",
    errNetwork: "Không kết nối được tới máy chủ hỏi đáp. Vui lòng kiểm tra kết nối mạng và thử lại.",
    errTimeout: "Máy chủ phản hồi quá lâu. Vui lòng thử lại sau.",
    errServer: (s) => `Máy chủ gặp sự cố (mã lỗi ${s}). Vui lòng thử lại sau.`,
    errClient: (s) => `Yêu cầu không hợp lệ (mã lỗi ${s}).`,
    errBadJson: "Máy chủ trả về dữ liệu không đọc được.",
    errTooLong: (max, got) => `Câu hỏi quá dài: tối đa ${max} ký tự${got ? ` (câu hỏi có ${got} ký tự)` : ""}.`,
    errEmpty: "Câu hỏi không được để trống.",
    retry: "Thử lại",
    reader: "Bài viết nguồn",
    readerClose: "Đóng bài viết",
    readerLoading: "Đang tải bài viết…",
    readerError: "Không tải được bài viết nguồn.",
    publisher: "Đơn vị đăng",
    published: "Ngày đăng",
    citedSpan: "Đoạn được trích dẫn",
    counter: (n, max) => `${n}/${max} ký tự`,
  };
  // data-suggestions="" (the server's choice for a corpus other than the seeds) shows none
  const SUGGESTIONS = (data.suggestions !== undefined ? data.suggestions.split("|") : [
    "Có bao nhiêu tài khoản VNeID?",
    "Bắc Kạn bố trí bao nhiêu tiền cho chuyển đổi số?",
    "Doanh thu kinh tế số quý I/2022 là bao nhiêu?",
  ]).map((s) => s.trim()).filter(Boolean);

  // ---------------------------------------------------------------- small helpers
  /** Build an element. attrs: class, text, dataset-free plain attributes, on<Event> handlers. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = String(v);
      else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }
  const SVG_NS = "http://www.w3.org/2000/svg";
  function icon(pathD, size = 20) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const d of [].concat(pathD)) {
      const p = document.createElementNS(SVG_NS, "path");
      p.setAttribute("d", d);
      svg.appendChild(p);
    }
    return svg;
  }
  const ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z",
    close: "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12 19 6.4 17.6 5 12 10.6z",
    send: "M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z",
    plus: "M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z",
    doc: "M6 2h9l5 5v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm8 1.5V8h4.5zM7 12v1.6h10V12zm0 3.5v1.6h10v-1.6zm0-7V10h5V8.5z",
    alert: "M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z",
    search: "M10 2a8 8 0 0 1 6.3 12.9l5.4 5.4-1.4 1.4-5.4-5.4A8 8 0 1 1 10 2zm0 2a6 6 0 1 0 0 12 6 6 0 0 0 0-12z",
  };

  /** Code-point offset (Python str index) -> UTF-16 index into the same JS string. */
  function cpToUtf16(str, cp) {
    if (!/[\uD800-\uDFFF]/.test(str)) return Math.min(Math.max(cp, 0), str.length);
    let i = 0;
    for (let n = 0; n < cp && i < str.length; n++) {
      const c = str.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < str.length ? 2 : 1;
    }
    return i;
  }
  /** Split str at a code-point span: [before, inside, after] (null if the span is unusable). */
  function splitSpan(str, start, end) {
    if (typeof str !== "string" || !Number.isInteger(start) || !Number.isInteger(end)) return null;
    const a = cpToUtf16(str, start);
    const b = cpToUtf16(str, end);
    if (start < 0 || b <= a || b > str.length) return null;
    return [str.slice(0, a), str.slice(a, b), str.slice(b)];
  }
  /** Find `needle` in `hay` (exact, then case/whitespace-insensitive); returns UTF-16 [a, b] or null. */
  function findText(hay, needle) {
    if (!hay || !needle) return null;
    let i = hay.indexOf(needle);
    if (i >= 0) return [i, i + needle.length];
    const lower = hay.toLowerCase();
    i = lower.indexOf(needle.toLowerCase());
    if (i >= 0) return [i, i + needle.length];
    // Whitespace-insensitive: turn the needle into a regex with \s+ between tokens.
    const parts = needle.trim().split(/\s+/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    if (!parts.length || !parts[0]) return null;
    const m = new RegExp(parts.join("\\s+"), "i").exec(hay);
    return m ? [m.index, m.index + m[0].length] : null;
  }

  /** "2024-07-11" (or an ISO datetime) -> "11/07/2024"; anything else is returned unchanged. */
  function fmtDate(s) {
    if (!s) return "";
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(s));
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
    const y = /^(\d{4})-(\d{2})$/.exec(String(s));
    return y ? `${y[2]}/${y[1]}` : String(s);
  }
  function timeEl(s, cls) {
    if (!s) return null;
    const m = /^(\d{4}-\d{2}(-\d{2})?)/.exec(String(s));
    return h("time", { class: cls, datetime: m ? m[1] : null, text: fmtDate(s) });
  }
  const NUMBER_FMT = typeof Intl !== "undefined" ? new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 }) : null;
  function fmtValue(v) {
    if (typeof v !== "number" || !isFinite(v)) return "";
    const abs = Math.abs(v);
    const scales = [[1e9, "tỷ"], [1e6, "triệu"], [1e3, "nghìn"]];
    for (const [base, word] of scales) {
      if (abs >= base && abs / base >= 1) {
        const x = v / base;
        return `${NUMBER_FMT ? NUMBER_FMT.format(x) : x} ${word}`;
      }
    }
    return NUMBER_FMT ? NUMBER_FMT.format(v) : String(v);
  }
  /** Without an answer: how close the best figure came, when the server says (`not_answered`). */
  function nearMiss(why) {
    if (!why || typeof why.confidence !== "number" || typeof why.threshold !== "number") return null;
    return h("p", { class: "vq-muted vq-nearmiss", text: T.nearMiss(Math.floor(why.confidence * 100), Math.round(why.threshold * 100)) });
  }
  /** The text of an answer figure, e.g. "hơn 75,7 triệu tài khoản VNeID". */
  function figureText(a) {
    if (a && typeof a.text === "string" && a.text.trim()) return a.text.trim();
    return [a && a.qualifier, fmtValue(a && a.value), a && a.unit].filter(Boolean).join(" ");
  }
  /** Split a figure into [qualifier, number, what it counts] for typography, using the
   *  server's `number_text` (the widget never parses numbers itself). */
  function splitFigure(a) {
    const text = figureText(a);
    if (a && a.range) {
      // "300-500 đồng/lít", "từ 6 đến 8 triệu đồng": both ends are the number, whichever the reader picked
      const first = text.search(/\d/);
      const last = text.search(/\d[^\d]*$/);
      if (first >= 0 && last >= first) return [text.slice(0, first), text.slice(first, last + 1), text.slice(last + 1)];
    }
    const n = a && typeof a.number_text === "string" ? a.number_text : "";
    const i = n ? text.indexOf(n) : -1;
    if (i < 0) return ["", text, ""];
    return [text.slice(0, i), n, text.slice(i + n.length)];
  }
  function truncate(s, n) {
    s = String(s || "").replace(/\s+/g, " ").trim();
    if (s.length <= n) return s;
    const cut = s.slice(0, n);
    const sp = cut.lastIndexOf(" ");
    return (sp > n * 0.6 ? cut.slice(0, sp) : cut).replace(/[\s,.;:]+$/, "") + "…";
  }
  /** Text with one span wrapped in <mark>; `span` is a UTF-16 [a, b] pair. */
  function withMark(text, span, markAttrs) {
    if (!span) return [text];
    return [text.slice(0, span[0]), h("mark", markAttrs || {}, text.slice(span[0], span[1])), text.slice(span[1])];
  }

  const store = {
    load() {
      try {
        const raw = window.sessionStorage.getItem(STORE_KEY);
        const list = raw ? JSON.parse(raw) : [];
        return Array.isArray(list) ? list : [];
      } catch (_) {
        return [];
      }
    },
    save(list) {
      try {
        window.sessionStorage.setItem(STORE_KEY, JSON.stringify(list.slice(-MAX_STORED)));
      } catch (_) {
        /* storage full or disabled: history stays in memory only */
      }
    },
  };

  // ---------------------------------------------------------------- API calls
  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status || 0;
    }
  }
  /** A readable Vietnamese message from a FastAPI error body ({"detail": str | [{msg, loc, type, ctx}]}). */
  function translate(msg) {
    // The API's own sentences (English) for the common cases, in Vietnamese.
    const s = String(msg).replace(/^Value error,\s*/i, "").trim();
    let m = /(\d+)\s+characters long;\s*the limit is\s+(\d+)/i.exec(s);
    if (m) return T.errTooLong(+m[2], +m[1]);
    m = /at most (\d+) characters?/i.exec(s);
    if (m) return T.errTooLong(+m[1], 0);
    if (/must not be empty|at least 1 character|field required/i.test(s)) return T.errEmpty;
    return s;
  }
  function describeDetail(detail, status) {
    if (typeof detail === "string" && detail.trim()) {
      const t = translate(detail.trim());
      return t === detail.trim() ? `${T.errClient(status)} ${t}` : t;
    }
    if (Array.isArray(detail)) {
      let known = true;
      const msgs = detail.map((d) => {
        if (!d || typeof d !== "object") return String(d);
        const ctx = d.ctx || {};
        if (d.type === "string_too_long") return T.errTooLong(ctx.max_length || MAX_LEN, typeof d.input === "string" ? d.input.length : 0);
        if (d.type === "string_too_short" || d.type === "missing") return T.errEmpty;
        const field = Array.isArray(d.loc) ? d.loc.filter((x) => x !== "body").join(".") : "";
        const raw = String(d.msg || JSON.stringify(d)).replace(/^Value error,\s*/i, "").trim();
        const t = translate(raw);
        if (t !== raw) return t;
        known = false;
        return (field ? field + ": " : "") + raw;
      });
      const text = Array.from(new Set(msgs)).join(" ");
      return known && text ? text : `${T.errClient(status)} ${text}`.trim();
    }
    if (detail && typeof detail === "object") return detail.message || detail.msg || JSON.stringify(detail);
    return status >= 500 ? T.errServer(status) : T.errClient(status);
  }
  async function request(path, options) {
    const ctl = typeof AbortController !== "undefined" ? new AbortController() : null;
    const timer = ctl ? setTimeout(() => ctl.abort(), TIMEOUT_MS) : 0;
    let res;
    try {
      res = await fetch(API + path, {
        mode: "cors",
        credentials: "omit",
        ...options,
        headers: { Accept: "application/json", ...(options && options.headers) },
        signal: ctl ? ctl.signal : undefined,
      });
    } catch (e) {
      throw new ApiError(e && e.name === "AbortError" ? T.errTimeout : T.errNetwork, 0);
    } finally {
      clearTimeout(timer);
    }
    let body = null;
    const text = await res.text().catch(() => "");
    try {
      body = text ? JSON.parse(text) : null;
    } catch (_) {
      body = null;
    }
    if (!res.ok) {
      // The API's one error shape: {"error": {"code", "message", "field"}} (older servers: {"detail"})
      const err = body && typeof body === "object" && body.error && typeof body.error === "object" ? body.error : null;
      const detail = err ? err.message : body && typeof body === "object" ? body.detail : null;
      const retry = parseInt(res.headers.get("Retry-After") || "", 10);
      let msg;
      if (res.status === 429) msg = T.errRateLimited(Number.isFinite(retry) ? retry : null);
      else if (res.status >= 500) msg = T.errServer(res.status) + (typeof detail === "string" && detail ? ` (${detail})` : "");
      else if (detail !== null && detail !== undefined) msg = describeDetail(detail, res.status);
      else if (body && typeof body.message === "string" && body.message) msg = describeDetail(body.message, res.status);
      else msg = T.errClient(res.status);
      throw new ApiError(msg, res.status);
    }
    if (!body || typeof body !== "object") throw new ApiError(T.errBadJson, res.status);
    return body;
  }
  const api = {
    ask: (question) =>
      request("/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question, top_k: TOP_K, ...filters }),
      }),
    document: (docId) => request("/documents/" + encodeURIComponent(docId), { method: "GET" }),
  };
  const docCache = new Map();
  function getDocument(docId) {
    if (!docCache.has(docId)) {
      const p = api.document(docId);
      docCache.set(docId, p);
      p.catch(() => docCache.delete(docId));
    }
    return docCache.get(docId);
  }

  // ---------------------------------------------------------------- DOM skeleton
  let host;
  let root; // ShadowRoot
  if (MODE === "page") {
    host = (data.target && document.querySelector(data.target)) || document.getElementById("vnqa-app");
    if (!host) {
      host = h("div", { id: "vnqa-app" });
      document.body.appendChild(host);
    }
  } else {
    host = h("div", { id: "vnqa-widget-host" });
    (document.body || document.documentElement).appendChild(host);
  }
  host.setAttribute("data-vnqa", MODE);
  host.style.visibility = "hidden"; // until the stylesheet has loaded (no flash of unstyled content)
  root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  const cssLink = h("link", { rel: "stylesheet", href: `${ASSETS}/static/vnqa-widget.css?v=${VERSION}` });
  const reveal = () => {
    host.style.visibility = "";
  };
  cssLink.addEventListener("load", reveal);
  cssLink.addEventListener("error", reveal);
  setTimeout(reveal, 3000);
  root.appendChild(cssLink);

  const ids = { title: "vnqa-title", input: "vnqa-input", reader: "vnqa-reader-title", counter: "vnqa-counter" };

  const log = h("div", {
    class: "vq-log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": T.log,
    tabindex: "0",
  });
  const input = h("textarea", {
    id: ids.input,
    class: "vq-input",
    rows: "1",
    placeholder: T.placeholder,
    "aria-label": T.inputLabel,
    "aria-describedby": ids.counter + " vnqa-hint",
    autocomplete: "off",
    spellcheck: "false",
    enterkeyhint: "send",
  });
  const counter = h("span", { id: ids.counter, class: "vq-counter", "aria-live": "polite" });
  const hint = h("span", { id: "vnqa-hint", class: "vq-hint", text: T.hint });
  const sendBtn = h("button", { type: "submit", class: "vq-send", "aria-label": T.send, title: T.send }, icon(ICONS.send));
  const composer = h(
    "form",
    { class: "vq-composer", "aria-label": T.inputLabel, onsubmit: (e) => { e.preventDefault(); submit(); } },
    h("div", { class: "vq-inputwrap" }, input, sendBtn),
    h("div", { class: "vq-composer-foot" }, hint, counter),
  );
  const newChatBtn = h(
    "button",
    { type: "button", class: "vq-iconbtn vq-newchat", "aria-label": T.newChat, title: T.newChat, onclick: () => clearChat() },
    icon(ICONS.plus, 18),
    h("span", { class: "vq-btnlabel", text: T.newChat }),
  );
  const closePanelBtn =
    MODE === "embed"
      ? h("button", { type: "button", class: "vq-iconbtn", "aria-label": T.panelClose, title: T.panelClose, onclick: () => closePanel() }, icon(ICONS.close, 20))
      : null;
  const header = h(
    "header",
    { class: "vq-header" },
    h("div", { class: "vq-logo", "aria-hidden": "true" }, icon(ICONS.search, 18)),
    h("div", { class: "vq-titles" }, h("h1", { id: ids.title, class: "vq-title", text: T.title }), h("p", { class: "vq-subtitle", text: T.subtitle })),
    h("div", { class: "vq-actions" }, newChatBtn, closePanelBtn),
  );

  // Reader (source article) dialog.
  const readerTitle = h("h2", { id: ids.reader, class: "vq-reader-title", text: T.reader });
  const readerMeta = h("div", { class: "vq-reader-meta" });
  const readerBody = h("div", { class: "vq-reader-body", tabindex: "0", "aria-label": T.reader });
  const readerClose = h("button", { type: "button", class: "vq-iconbtn", "aria-label": T.readerClose, title: T.readerClose, onclick: () => closeReader() }, icon(ICONS.close, 20));
  const reader = h(
    "div",
    { class: "vq-reader", role: "dialog", "aria-modal": "true", "aria-labelledby": ids.reader, hidden: true },
    h("div", { class: "vq-reader-head" }, h("div", { class: "vq-reader-heading" }, h("div", { class: "vq-eyebrow", text: T.reader }), readerTitle, readerMeta), readerClose),
    readerBody,
  );
  const backdrop = h("div", { class: "vq-backdrop", hidden: true, onclick: () => closeReader() });

  const chat = h("div", { class: "vq-chat" }, header, h("main", { class: "vq-main" }, log), composer);
  const app = h("div", { class: `vq-app vq-${MODE}` }, chat, backdrop, reader);

  let panel = null;
  let launcher = null;
  if (MODE === "embed") {
    panel = h("div", { class: "vq-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": ids.title, hidden: true }, app);
    launcher = h(
      "button",
      { type: "button", class: "vq-launcher", "aria-label": T.launcherOpen, title: T.launcherOpen, "aria-expanded": "false", onclick: () => togglePanel() },
      icon(ICONS.chat, 28),
    );
    root.appendChild(panel);
    root.appendChild(launcher);
  } else {
    root.appendChild(app);
  }

  // ---------------------------------------------------------------- state
  let history = store.load(); // [{role: "user", text} | {role: "bot", question, kind: "result"|"error", data?, error?, status?}]
  let pending = false;
  let readerOpener = null;

  // ---------------------------------------------------------------- rendering: messages
  function scrollLogTo(el) {
    // Show a new reply together with its question: scroll so the question is at the top when the
    // pair does not fit, else to the bottom. Only the log scrolls (never the host page).
    const prev = el.previousElementSibling;
    const withQuestion = el.classList.contains("vq-bot") && prev && prev.classList.contains("vq-user") && prev.offsetHeight < log.clientHeight * 0.3;
    const anchor = withQuestion ? prev : el;
    const top = anchor.offsetTop - 12;
    if (el.offsetTop + el.offsetHeight - top > log.clientHeight) log.scrollTop = top;
    else log.scrollTop = log.scrollHeight;
  }
  function userBubble(text) {
    return h("div", { class: "vq-msg vq-user" }, h("span", { class: "vq-sr", text: T.you + ": " }), h("div", { class: "vq-bubble", text }));
  }
  function botWrap(...children) {
    return h("div", { class: "vq-msg vq-bot" }, h("div", { class: "vq-avatar", "aria-hidden": "true" }, icon(ICONS.search, 16)), h("div", { class: "vq-bubble" }, h("span", { class: "vq-sr", text: T.bot + ": " }), children));
  }

  /** Citation registry for one bot message: numbers [1], [2], … deduplicated by doc+span. */
  function citations() {
    const list = [];
    const byKey = new Map();
    return {
      list,
      add(c, extra, onePerDoc) {
        if (!c || !c.doc_id) return null;
        const key = `${c.doc_id}|${c.start}|${c.end}`;
        if (byKey.has(key)) return byKey.get(key);
        if (onePerDoc) {
          const same = list.find((e) => e.doc_id === c.doc_id);
          if (same) return same;
        }
        const entry = { n: list.length + 1, doc_id: c.doc_id, title: c.title || "", published: c.published || null, start: c.start, end: c.end, ...extra };
        byKey.set(key, entry);
        list.push(entry);
        return entry;
      },
    };
  }
  /** Citation entries grouped by document, in order of first appearance. */
  function groupByDoc(list) {
    const groups = new Map();
    for (const c of list) {
      if (!groups.has(c.doc_id)) groups.set(c.doc_id, []);
      groups.get(c.doc_id).push(c);
    }
    return Array.from(groups.values());
  }
  function chip(entry) {
    if (!entry) return null;
    return h("button", {
      type: "button",
      class: "vq-chip",
      "data-doc-id": entry.doc_id,
      "data-cite": String(entry.n),
      "aria-label": T.openSource(entry.n, entry.title),
      title: entry.title || T.openSource(entry.n, ""),
      text: String(entry.n),
      onclick: (e) => openReader(entry, e.currentTarget),
    });
  }

  function renderResult(data) {
    const reg = citations();
    const a = data && data.answer;
    if (a) {
      const main = reg.add(a.citation, { fallback: a.sentence, needle: figureText(a), figure: a.number_span });
      const older = (Array.isArray(a.older) ? a.older : [])
        .filter((o) => o && typeof o === "object")
        .map((o, i) => ({ o, i }))
        .sort((x, y) => String(y.o.as_of || (y.o.citation && y.o.citation.published) || "").localeCompare(String(x.o.as_of || (x.o.citation && x.o.citation.published) || "")) || x.i - y.i)
        .map(({ o }) => ({ o, cite: reg.add(o.citation, { fallback: o.sentence, needle: figureText(o), figure: o.number_span }) }));
      // Passages back up the answer: one source entry per article (Perplexity-style source list).
      const passages = (Array.isArray(data.passages) ? data.passages : []).map((p) => ({ p, cite: reg.add(p, { fallback: p.text }, true) }));

      const [pre, core, post] = splitFigure(a);
      const figure = h(
        "p",
        { class: "vq-figure" },
        pre.trim() ? [h("span", { class: "vq-qual", text: pre.trim() }), " "] : null,
        h("span", { class: "vq-num", text: core }),
        post.trim() ? [" ", h("span", { class: "vq-unit", text: post.trim() })] : null,
      );
      const asOf = a.as_of || (a.citation && a.citation.published);
      const sentence = typeof a.sentence === "string" ? a.sentence : "";
      let span = null;
      const ns = a.number_span;
      if (ns && sentence) {
        const parts = splitSpan(sentence, ns.start, ns.end);
        if (parts) span = [parts[0].length, parts[0].length + parts[1].length];
      }
      if (!span && sentence) span = findText(sentence, figureText(a));
      const quote = sentence ? h("blockquote", { class: "vq-quote" }, withMark(sentence, span, { class: "vq-hl" }), " ", chip(main)) : null;
      const src = a.citation
        ? h(
            "div",
            { class: "vq-source" },
            h("span", { class: "vq-source-icon", "aria-hidden": "true" }, icon(ICONS.doc, 18)),
            h(
              "div",
              { class: "vq-source-body" },
              h("span", { class: "vq-sr", text: T.source + ": " }),
              h("button", { type: "button", class: "vq-linkbtn vq-source-title", text: a.citation.title || T.untitled, onclick: (e) => openReader(main, e.currentTarget) }),
              h("div", { class: "vq-source-meta" }, a.citation.published ? [timeEl(a.citation.published, "vq-date"), " · "] : null, chip(main)),
            ),
          )
        : null;
      const timeline = older.length
        ? h(
            "section",
            { class: "vq-older", "aria-label": T.older },
            h("h3", { class: "vq-h3", text: T.older }),
            h(
              "ol",
              { class: "vq-timeline" },
              older.map(({ o, cite }) =>
                h(
                  "li",
                  { class: "vq-tl-item" },
                  h("span", { class: "vq-tl-dot", "aria-hidden": "true" }),
                  o.as_of || (o.citation && o.citation.published) ? [timeEl(o.as_of || o.citation.published, "vq-tl-date"), ": "] : null,
                  h("span", { class: "vq-tl-val", text: figureText(o) }),
                  " ",
                  chip(cite),
                ),
              ),
            ),
          )
        : null;
      const sources = h(
        "section",
        { class: "vq-sources", "aria-label": T.sources },
        h("h3", { class: "vq-h3", text: T.sources }),
        h(
          "ol",
          { class: "vq-srclist" },
          groupByDoc(reg.list).map((g) =>
            h(
              "li",
              { class: "vq-srcitem" },
              h("span", { class: "vq-srcchips" }, g.map(chip)),
              h("button", { type: "button", class: "vq-linkbtn vq-srctitle", text: g[0].title || T.untitled, title: g[0].title || null, onclick: (e) => openReader(g[0], e.currentTarget) }),
              g[0].published ? h("span", { class: "vq-srcdate" }, timeEl(g[0].published)) : null,
            ),
          ),
        ),
      );
      void passages;
      return botWrap(
        h(
          "article",
          { class: "vq-answer", "aria-label": T.answer },
          h("div", { class: "vq-eyebrow" }, T.answer, asOf ? [" · ", T.asOf, " ", timeEl(asOf)] : null,
            typeof a.confidence === "number" ? [" · ", h("span", { class: "vq-confidence", text: `${T.confidence} ${Math.round(a.confidence * 100)}%` })] : null),
          figure,
          quote,
          src,
          timeline,
          sources,
        ),
      );
    }

    // No answer: say so, then the closest passages.
    const passages = Array.isArray(data && data.passages) ? data.passages : [];
    return botWrap(
      h(
        "div",
        { class: "vq-noanswer" },
        h("p", { class: "vq-noanswer-text" }, h("span", { class: "vq-noanswer-icon", "aria-hidden": "true" }, icon(ICONS.alert, 18)), T.noAnswer),
        nearMiss(data && data.not_answered),
        passages.length
          ? [
              h("h3", { class: "vq-h3", text: T.closest }),
              h(
                "ol",
                { class: "vq-passages" },
                passages.map((p) => {
                  const c = reg.add(p, { fallback: p.text });
                  return h(
                    "li",
                    { class: "vq-passage" },
                    h("div", { class: "vq-passage-head" }, chip(c), h("button", { type: "button", class: "vq-linkbtn vq-passage-title", text: p.title || T.untitled, onclick: (e) => openReader(c, e.currentTarget) })),
                    h("p", { class: "vq-snippet" }, p.published ? [timeEl(p.published, "vq-date"), " — "] : null, truncate(p.text, 240)),
                  );
                }),
              ),
            ]
          : h("p", { class: "vq-muted", text: T.noPassages }),
      ),
    );
  }

  function renderError(msg) {
    return botWrap(
      h(
        "div",
        { class: "vq-error", role: "alert" },
        h("span", { class: "vq-error-icon", "aria-hidden": "true" }, icon(ICONS.alert, 18)),
        h("p", { class: "vq-error-text", text: msg.error || T.errNetwork }),
        msg.question && !(msg.status >= 400 && msg.status < 500)
          ? h("button", { type: "button", class: "vq-retry", text: T.retry, onclick: () => ask(msg.question) })
          : null,
      ),
    );
  }

  function renderMessage(msg) {
    if (msg.role === "user") return userBubble(msg.text);
    if (msg.kind === "error") return renderError(msg);
    try {
      return renderResult(msg.data);
    } catch (e) {
      // Unexpected response shape: never a blank bubble.
      return renderError({ error: T.errBadJson, question: msg.question });
    }
  }

  function renderWelcome() {
    return h(
      "div",
      { class: "vq-welcome" },
      h("p", { class: "vq-welcome-text", text: T.welcome }),
      SUGGESTIONS.length
        ? h(
            "div",
            { class: "vq-suggestions", role: "group", "aria-label": T.tryThese },
            h("span", { class: "vq-muted", text: T.tryThese }),
            SUGGESTIONS.map((s) => h("button", { type: "button", class: "vq-suggestion", text: s, onclick: () => ask(s) })),
          )
        : null,
    );
  }

  function renderAll() {
    log.textContent = "";
    if (!history.length) log.appendChild(renderWelcome());
    for (const msg of history) log.appendChild(renderMessage(msg));
    log.scrollTop = log.scrollHeight;
  }

  function push(msg) {
    history.push(msg);
    store.save(history);
    const welcome = log.querySelector(".vq-welcome");
    if (welcome) welcome.remove();
    const el = renderMessage(msg);
    log.appendChild(el);
    scrollLogTo(el);
    return el;
  }

  // ---------------------------------------------------------------- asking
  function typingIndicator() {
    return h(
      "div",
      { class: "vq-msg vq-bot vq-typing-msg", role: "status", "aria-label": T.typing },
      h("div", { class: "vq-avatar", "aria-hidden": "true" }, icon(ICONS.search, 16)),
      h("div", { class: "vq-bubble vq-typing" }, h("span", { class: "vq-dot" }), h("span", { class: "vq-dot" }), h("span", { class: "vq-dot" }), h("span", { class: "vq-sr", text: T.typing })),
    );
  }

  async function ask(question) {
    question = String(question || "").normalize("NFC").trim();
    if (!question || pending) return;
    pending = true;
    app.setAttribute("aria-busy", "true");
    sendBtn.disabled = true;
    push({ role: "user", text: question });
    const typing = typingIndicator();
    log.appendChild(typing);
    log.scrollTop = log.scrollHeight;
    let msg;
    try {
      const data = await api.ask(question);
      msg = { role: "bot", kind: "result", question, data };
    } catch (e) {
      msg = { role: "bot", kind: "error", question, status: e.status || 0, error: e instanceof ApiError ? e.message : T.errNetwork };
    } finally {
      typing.remove();
      pending = false;
      app.removeAttribute("aria-busy");
      updateComposer();
    }
    push(msg);
    if (!reader.hidden) return;
    if (MODE === "page" || (panel && !panel.hidden)) input.focus({ preventScroll: true });
  }

  function submit() {
    const q = input.value;
    if (!q.trim() || pending) return;
    input.value = "";
    autosize();
    updateComposer();
    ask(q);
    input.focus({ preventScroll: true });
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
  }
  function updateComposer() {
    const n = Array.from(input.value).length;
    counter.textContent = n > MAX_LEN * 0.8 ? T.counter(n, MAX_LEN) : "";
    counter.classList.toggle("vq-over", n > MAX_LEN);
    sendBtn.disabled = pending || !input.value.trim();
  }
  input.addEventListener("input", () => {
    autosize();
    updateComposer();
  });
  input.addEventListener("keydown", (e) => {
    // Enter sends, Shift+Enter inserts a new line; never send in the middle of an IME composition (Telex/VNI).
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });

  function clearChat() {
    history = [];
    store.save(history);
    closeReader();
    renderAll();
    input.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- reader
  let readerToken = 0;
  async function openReader(entry, opener) {
    if (!entry || !entry.doc_id) return;
    readerOpener = opener || null;
    const token = ++readerToken;
    readerTitle.textContent = entry.title || T.reader;
    readerMeta.textContent = "";
    readerBody.textContent = "";
    readerBody.appendChild(h("p", { class: "vq-muted vq-loading", role: "status", text: T.readerLoading }));
    reader.hidden = false;
    backdrop.hidden = false;
    app.classList.add("vq-reading");
    readerClose.focus({ preventScroll: true });
    let doc;
    try {
      doc = await getDocument(entry.doc_id);
    } catch (e) {
      if (token !== readerToken) return;
      readerBody.textContent = "";
      readerBody.appendChild(h("div", { class: "vq-error", role: "alert" }, h("span", { class: "vq-error-icon", "aria-hidden": "true" }, icon(ICONS.alert, 18)), h("p", { class: "vq-error-text", text: `${T.readerError} ${e.message || ""}`.trim() })));
      return;
    }
    if (token !== readerToken || reader.hidden) return;
    const text = typeof doc.text === "string" ? doc.text : "";
    readerTitle.textContent = doc.title || entry.title || T.untitled;
    readerMeta.textContent = "";
    append(readerMeta, [
      h("span", { class: "vq-cite-n", text: `[${entry.n}]` }),
      doc.publisher ? [" ", h("span", { class: "vq-publisher", text: doc.publisher })] : null,
      doc.published || entry.published ? [" · ", timeEl(doc.published || entry.published, "vq-date")] : null,
    ]);
    // Locate the cited span: trust the offsets when they are valid, else search for the cited text.
    let span = null;
    const parts = splitSpan(text, entry.start, entry.end);
    if (parts) span = [parts[0].length, parts[0].length + parts[1].length];
    if (parts && entry.needle) {
      // Sanity check: the cited span should contain the figure; if not, look for the cited sentence.
      if (!parts[1].includes(entry.needle) && entry.fallback) span = findText(text, entry.fallback) || span;
    }
    if (!span && entry.fallback) span = findText(text, entry.fallback);
    readerBody.textContent = "";
    const mark = span ? h("mark", { class: "vq-cited", tabindex: "-1", "aria-label": T.citedSpan }) : null;
    if (mark) mark.textContent = text.slice(span[0], span[1]);
    readerBody.appendChild(h("div", { class: "vq-doc-text" }, span ? [text.slice(0, span[0]), mark, text.slice(span[1])] : text));
    if (mark) {
      // Highlight the figure inside the cited span too.
      // number_span is relative to the cited sentence, which is what the mark holds
      const f = entry.figure;
      const len = mark.textContent.length;
      const inner = f && f.start >= 0 && f.end <= len && f.start < f.end ? [f.start, f.end]
        : entry.needle ? findText(mark.textContent, entry.needle) : null;
      if (inner) {
        const t = mark.textContent;
        mark.textContent = "";
        append(mark, [t.slice(0, inner[0]), h("strong", { class: "vq-cited-num", text: t.slice(inner[0], inner[1]) }), t.slice(inner[1])]);
      }
      requestAnimationFrame(() => {
        const top = mark.offsetTop - Math.max(24, readerBody.clientHeight / 3);
        readerBody.scrollTop = Math.max(0, top);
      });
    }
  }
  function closeReader() {
    if (reader.hidden) return;
    readerToken++;
    reader.hidden = true;
    backdrop.hidden = true;
    app.classList.remove("vq-reading");
    const target = readerOpener && readerOpener.isConnected ? readerOpener : input;
    readerOpener = null;
    target.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- panel (embed mode)
  function openPanel() {
    if (!panel) return;
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.classList.add("vq-launcher-open");
    launcher.setAttribute("aria-label", T.panelClose);
    launcher.title = T.panelClose;
    launcher.textContent = "";
    launcher.appendChild(icon(ICONS.close, 26));
    log.scrollTop = log.scrollHeight;
    input.focus({ preventScroll: true });
  }
  function closePanel() {
    if (!panel || panel.hidden) return;
    closeReader();
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.classList.remove("vq-launcher-open");
    launcher.setAttribute("aria-label", T.launcherOpen);
    launcher.title = T.launcherOpen;
    launcher.textContent = "";
    launcher.appendChild(icon(ICONS.chat, 28));
    launcher.focus({ preventScroll: true });
  }
  function togglePanel() {
    if (panel.hidden) openPanel();
    else closePanel();
  }

  // ---------------------------------------------------------------- keyboard
  root.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      if (!reader.hidden) {
        e.preventDefault();
        e.stopPropagation();
        closeReader();
      } else if (panel && !panel.hidden) {
        e.preventDefault();
        e.stopPropagation();
        closePanel();
      }
      return;
    }
    if (e.key === "Tab" && !reader.hidden) {
      // Keep keyboard focus inside the modal reader.
      const focusables = Array.from(reader.querySelectorAll("button, [href], [tabindex]:not([tabindex='-1'])")).filter((el) => !el.disabled);
      if (!focusables.length) return;
      const first = focusables[0];
      const last = focusables[focusables.length - 1];
      const active = root.activeElement || document.activeElement;
      if (e.shiftKey && active === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  // ---------------------------------------------------------------- boot
  renderAll();
  updateComposer();
  if (MODE === "page") {
    input.focus({ preventScroll: true });
  } else if (data.open === "true") {
    openPanel();
  }

  window.vnqa = Object.freeze({
    __loaded: true,
    apiBase: API,
    mode: MODE,
    setFilters,
    open: openPanel,
    close: closePanel,
    ask: (q) => {
      if (panel && panel.hidden) openPanel();
      return ask(q);
    },
    clear: clearChat,
  });
})();
