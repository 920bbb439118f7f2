"""End-to-end tests of the chat widget in a real headless Chromium against the real service.

The module starts ``python -m uvicorn api.main:app`` as a subprocess (real model, real index; the
index is built on first start, which can take a few minutes), serves a tiny third-party "host
site" from another port to exercise the ``<script src=".../widget.js">`` embed across origins,
and drives both with Playwright (sync API) using the system Chromium (``/usr/bin/chromium``;
install it with ``.ci/install-browser.sh``).

Screenshots of every state are written to ``tests/output/`` (gitignored).

Run just these:  ``pytest -m browser tests/test_widget_e2e.py``
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "output"
CHROMIUM = os.environ.get("VNQA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 600  # the first start builds the index
ANSWER_TIMEOUT_MS = 120_000  # first /ask may still be warming up the model
UNDER_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

# Deep document.activeElement (through open shadow roots): the widget lives in a shadow root.
JS_ACTIVE_TAG = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? a.tagName.toLowerCase() : null;
}"""
# Every visible element of the widget (inside its shadow root) that sticks out of the viewport.
JS_OVERFLOW = """() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) walk(el.shadowRoot);
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height || r.width <= 1) continue;           // hidden / screen-reader-only
      if (getComputedStyle(el).visibility === 'hidden') continue;
      if (r.left < -0.5 || r.right > vw + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
  };
  walk(document);
  return {scrollWidth: document.documentElement.scrollWidth, clientWidth: vw, offenders: out.slice(0, 10)};
}"""


# ----------------------------------------------------------------------------- helpers
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _shot(page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    return path


def _log_tail(path: Path, n: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        msg = f"{CHROMIUM} not found: run `bash .ci/install-browser.sh` (apt-get install chromium chromium-driver)"
        if UNDER_CI:
            pytest.fail(f"browser tests need Chromium under CI: {msg}", pytrace=False)
        pytest.skip(msg)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as e:  # pragma: no cover - the test extra installs it
        if UNDER_CI:
            pytest.fail(f"playwright is not installed: {e}", pytrace=False)
        pytest.skip(f"playwright is not installed: {e}")
    return CHROMIUM


@pytest.fixture(scope="module")
def ports() -> dict[str, int]:
    """The service port, the third-party host-site port and a port nothing listens on."""
    return {"api": _free_port(), "site": _free_port(), "dead": _free_port()}


@pytest.fixture(scope="module")
def service_url(chromium_path, ports) -> str:
    """The real vnqa service in a subprocess, CORS-enabled for the test host site."""
    port = ports["api"]
    site = f"http://127.0.0.1:{ports['site']}"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "VNQA_CORS_ORIGINS": f"{site},http://localhost:{ports['site']}",
        "PYTHONUNBUFFERED": "1",
        # these tests are about the widget: the rule reader answers the seed questions they ask
        # (the learned reader abstains on some of them; its answers are tested in test_reader.py)
        "VNQA_READER": "rules",
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log_path = OUTPUT / "widget-e2e-server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the service exited with code {proc.returncode} during start-up:\n{_log_tail(log_path)}", pytrace=False)
            try:
                status, body = _get(base + "/health", timeout=3)
                if status == 200 and b'"ok"' in body:
                    break
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the service did not become healthy within {STARTUP_TIMEOUT_S} s:\n{_log_tail(log_path)}", pytrace=False)
            time.sleep(1.0)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def host_site(service_url, ports) -> str:
    """A third-party site on another origin whose pages contain only the embed script tag."""
    pages = {
        "/embed.html": f'<script src="{service_url}/widget.js"></script>',
        # The same embed, but configured to call an API on a port where nothing listens.
        "/embed-dead.html": f'<script src="{service_url}/widget.js" data-api="http://127.0.0.1:{ports["dead"]}"></script>',
        # suggested questions named by the page, or none (what the server's chat page says for a
        # corpus other than the seeds)
        "/embed-suggest.html": f'<script src="{service_url}/widget.js" data-suggestions="Câu một?|Câu hai?"></script>',
        "/embed-nosuggest.html": f'<script src="{service_url}/widget.js" data-suggestions=""></script>',
    }
    wrapper = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Host site</title>'
        # Hostile-ish host styles: the widget must be unaffected (it renders in a shadow root).
        "<style>body{{font:20px/1.6 Georgia,serif;margin:32px;background:#fbf7ee;color:#333}}"
        "*{{box-sizing:content-box!important}} button{{all:unset}} mark{{background:red}}</style></head>"
        "<body><h1>Báo Ví Dụ</h1><p>Một trang tin của bên thứ ba nhúng widget vnqa.</p>{body}</body></html>"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            data = wrapper.format(body=body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # keep pytest output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", ports["site"]), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{ports['site']}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def new_page(browser):
    """Factory for fresh pages (own context: empty sessionStorage) that collect page errors."""
    contexts = []

    def make(width: int = 1280, height: int = 860):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(30_000)
        page.js_errors = []
        page.on("pageerror", lambda e: page.js_errors.append(str(e)))
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def _ask(page, question: str):
    box = page.get_by_role("textbox", name="Câu hỏi của bạn")
    box.fill(question)
    box.press("Enter")
    return box


def _last_bot(page):
    return page.locator(".vq-msg.vq-bot:not(.vq-typing-msg)").last


# ----------------------------------------------------------------------------- tests
def test_answer_with_citation_and_reader(service_url, new_page):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(service_url + "/")
    expect(page.get_by_role("heading", name="Hỏi đáp số liệu")).to_be_visible()
    _shot(page, "widget-01-empty")

    box = _ask(page, "bao nhiêu tài khoản VNeID?")
    answer = page.locator(".vq-answer").last
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # The figure in large type, its sentence with the number highlighted, source and date.
    expect(answer.locator(".vq-figure")).to_contain_text("75,7 triệu")
    expect(answer.locator(".vq-quote mark")).to_contain_text("75,7")
    expect(answer.locator(".vq-source")).to_contain_text("/20")  # dd/mm/yyyy
    chips = answer.locator(".vq-chip")
    assert chips.count() >= 1
    expect(chips.first).to_have_text("1")
    # Focus stays in the input after sending (the user can type the next question).
    assert page.evaluate(JS_ACTIVE_TAG) == "textarea"
    expect(box).to_have_value("")
    _shot(page, "widget-02-answer")

    # Click the citation: the source article opens in the reader, cited span highlighted and in view.
    chips.first.click()
    reader = page.get_by_role("dialog")
    expect(reader).to_be_visible()
    cited = reader.locator("mark.vq-cited")
    expect(cited).to_contain_text("75,7 triệu", timeout=30_000)
    body_box = reader.locator(".vq-reader-body").bounding_box()
    mark_box = cited.bounding_box()
    assert body_box and mark_box
    assert body_box["y"] - 1 <= mark_box["y"] <= body_box["y"] + body_box["height"], "cited span not scrolled into view"
    _shot(page, "widget-03-reader")

    # Escape closes the reader and returns focus to the chip that opened it.
    page.keyboard.press("Escape")
    expect(reader).to_be_hidden()
    assert page.evaluate(JS_ACTIVE_TAG) == "button"

    # History survives a reload (sessionStorage).
    page.reload()
    expect(page.locator(".vq-answer")).to_contain_text("75,7 triệu")
    assert page.js_errors == []


def test_no_answer_shows_closest_passages(service_url, new_page):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(service_url + "/")
    _ask(page, "Giá vàng hôm nay?")
    bot = page.locator(".vq-noanswer").last
    expect(bot).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(bot).to_contain_text("Không tìm thấy câu trả lời trong kho tài liệu.")
    passages = bot.locator(".vq-passage")
    assert passages.count() >= 1
    first = passages.first
    expect(first.locator(".vq-chip")).to_have_text("1")
    expect(first.locator(".vq-passage-title")).not_to_be_empty()
    expect(first.locator(".vq-snippet")).not_to_be_empty()
    _shot(page, "widget-04-no-answer")

    expect(bot.locator(".vq-nearmiss")).to_have_count(0)  # no figure could answer: nothing to be near

    # The passage chip opens the reader too.
    first.locator(".vq-chip").click()
    expect(page.locator("mark.vq-cited")).to_be_visible(timeout=30_000)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page.js_errors == []


def test_a_near_miss_says_how_close_it_came(service, service_url, new_page):
    """The learned reader's refusal of a figure below its threshold, as the real service over the
    same seeds writes it (this module's server runs the rule reader, which gives no confidence):
    the body is the learned service's own, handed to the page for its /ask."""
    import json

    from playwright.sync_api import expect

    from qa.service import QAService

    question = "Có bao nhiêu tài khoản VNeID ở Hà Nội?"
    body = QAService(service.live, service.embedder, reader="learned").ask(question)
    assert body["answer"] is None and body["not_answered"]["reason"] == "below_threshold", body["not_answered"]
    page = new_page()
    page.goto(service_url + "/")
    page.route("**/ask", lambda route: route.fulfill(status=200, content_type="application/json",
                                                     body=json.dumps(body, ensure_ascii=False)))
    _ask(page, question)
    near = page.locator(".vq-noanswer").last.locator(".vq-nearmiss")
    expect(near).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    confidence = int(body["not_answered"]["confidence"] * 100)
    threshold = round(body["not_answered"]["threshold"] * 100)
    expect(near).to_have_text(f"Số liệu khả dĩ nhất chỉ đạt độ tin cậy {confidence}%, dưới ngưỡng {threshold}%.")
    assert page.js_errors == []


def test_embed_on_another_origin(service_url, host_site, new_page):
    from playwright.sync_api import expect

    page = new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.goto(host_site + "/embed.html")
    launcher = page.get_by_role("button", name="Mở hộp hỏi đáp số liệu")
    expect(launcher).to_be_visible()
    _shot(page, "widget-05-embed-closed")

    launcher.click()
    panel = page.get_by_role("dialog", name="Hỏi đáp số liệu", exact=True)
    expect(panel).to_be_visible()
    assert page.evaluate(JS_ACTIVE_TAG) == "textarea"  # the panel opens with focus in the input
    page.keyboard.type("bao nhiêu tài khoản VNeID?")
    page.keyboard.press("Enter")
    answer = panel.locator(".vq-answer")
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer.locator(".vq-figure")).to_contain_text("75,7 triệu")
    _shot(page, "widget-06-embed-answer")

    # The reader works cross-origin too (GET /documents/{id} under CORS).
    answer.locator(".vq-chip").first.click()
    expect(panel.locator("mark.vq-cited")).to_contain_text("75,7 triệu", timeout=30_000)
    _shot(page, "widget-07-embed-reader")

    # Escape closes the reader, a second Escape the panel; focus goes back to the launcher.
    page.keyboard.press("Escape")
    expect(panel.locator(".vq-reader")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.get_by_role("button", name="Mở hộp hỏi đáp số liệu")).to_be_focused()
    assert failed == [], failed
    assert page.js_errors == []


@pytest.mark.parametrize("embed, suggestions", [
    ("/embed.html", 3),  # the seeds' own questions, by default
    ("/embed-suggest.html", 2),
    ("/embed-nosuggest.html", 0),
])
def test_suggested_questions_are_the_page_s_to_choose(service_url, host_site, new_page, embed, suggestions):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(host_site + embed)
    page.get_by_role("button", name="Mở hộp hỏi đáp số liệu").click()
    panel = page.get_by_role("dialog", name="Hỏi đáp số liệu", exact=True)
    expect(panel).to_be_visible()
    expect(panel.locator(".vq-welcome")).to_be_visible()
    expect(panel.locator(".vq-suggestion")).to_have_count(suggestions)
    if suggestions == 2:
        expect(panel.locator(".vq-suggestion").first).to_have_text("Câu một?")
    assert page.js_errors == []


def test_a_range_is_shown_whole(service_embedder, tmp_path, service_url, new_page):
    """"lỗ 300-500 đồng/lít": the figure in large type is both ends, not the one the reader picked
    (a user was answered "300"). The body is a real service's over the article (the rule reader,
    as this module's server), handed to the page for its /ask."""
    import json

    from playwright.sync_api import expect

    from qa.ingest.documents import document_from_text
    from qa.service import QAService

    article = ("Giá xăng tăng từ chiều nay\n02/04/2019 17:30\n\nCác doanh nghiệp đầu mối kinh doanh xăng dầu cho biết "
               "họ đang lỗ 300-500 đồng/lít đối với xăng, trong khi giá xăng thế giới đang ở ngưỡng cao.")
    question = "Các doanh nghiệp đầu mối đang lỗ bao nhiêu đối với xăng?"
    one = QAService.from_documents([document_from_text("xang", article)], tmp_path / "index", service_embedder,
                                   log=lambda *a: None, reader="rules")
    body = one.ask(question)
    assert body["answer"]["range"] == {"low": 300.0, "high": 500.0}, body["answer"]
    page = new_page()
    page.goto(service_url + "/")
    page.route("**/ask", lambda route: route.fulfill(status=200, content_type="application/json",
                                                     body=json.dumps(body, ensure_ascii=False)))
    _ask(page, question)
    answer = page.locator(".vq-answer").last
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer.locator(".vq-figure .vq-num")).to_have_text("300-500")
    expect(answer.locator(".vq-figure .vq-unit")).to_have_text("đồng/lít")
    expect(answer.locator(".vq-quote mark")).to_have_text("300-500 đồng/lít")
    assert page.js_errors == []


def test_errors_are_readable_messages(service_url, host_site, new_page):
    from playwright.sync_api import expect

    # (a) Over-long question: the service answers 422; the chat shows why, in Vietnamese.
    page = new_page()
    page.goto(service_url + "/")
    _ask(page, "tài khoản VNeID " * 80)  # > 1000 characters
    err = _last_bot(page).locator(".vq-error")
    expect(err).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(err).to_contain_text("quá dài")
    expect(err).to_contain_text("1000")
    expect(err).to_have_attribute("role", "alert")
    _shot(page, "widget-08-error-too-long")

    # Shift+Enter inserts a new line instead of sending.
    box = page.get_by_role("textbox", name="Câu hỏi của bạn")
    box.fill("dòng một")
    box.press("Shift+Enter")
    box.type("dòng hai")
    expect(box).to_have_value("dòng một\ndòng hai")
    assert page.locator(".vq-msg.vq-user").count() == 1

    # (b) Service unreachable (nothing listens on the API port): a readable network error + retry.
    page2 = new_page()
    page2.goto(host_site + "/embed-dead.html")
    page2.get_by_role("button", name="Mở hộp hỏi đáp số liệu").click()
    _ask(page2, "bao nhiêu tài khoản VNeID?")
    err2 = _last_bot(page2).locator(".vq-error")
    expect(err2).to_be_visible(timeout=60_000)
    expect(err2).to_contain_text("Không kết nối được tới máy chủ")
    expect(err2.get_by_role("button", name="Thử lại")).to_be_visible()
    _shot(page2, "widget-09-error-network")

    # Never a blank bubble.
    for p in (page, page2):
        for text in p.locator(".vq-msg .vq-bubble").all_inner_texts():
            assert text.strip(), "empty chat bubble"
        assert p.js_errors == []


def test_typing_indicator_then_answer_and_server_error(service_url, new_page):
    """The typing indicator shows while /ask is in flight; a 5xx from the service becomes a
    readable message. The browser holds the real request until the indicator has been seen
    (the real service answers in ~40 ms, faster than an assertion can look); the 5xx is a
    fulfilled route, since the real service has no way to be made to fail on demand."""
    from playwright.sync_api import expect

    page = new_page()
    page.goto(service_url + "/")
    held = []
    page.route("**/ask", lambda route: held.append(route))
    _ask(page, "bao nhiêu tài khoản VNeID?")
    typing = page.locator(".vq-typing-msg")
    expect(typing).to_be_visible()
    expect(typing).to_have_attribute("role", "status")
    expect(typing).to_have_attribute("aria-label", "Đang tìm câu trả lời…")
    _shot(page, "widget-13-typing")
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/ask")
    expect(page.locator(".vq-answer").last).to_contain_text("75,7 triệu", timeout=ANSWER_TIMEOUT_MS)
    expect(typing).to_have_count(0)

    page.route("**/ask", lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"detail": "index is being rebuilt"}'))
    _ask(page, "Bao nhiêu thôn chưa có sóng di động?")
    err = _last_bot(page).locator(".vq-error")
    expect(err).to_be_visible()
    expect(err).to_contain_text("Máy chủ gặp sự cố (mã lỗi 503)")
    expect(err).to_have_attribute("role", "alert")
    _shot(page, "widget-14-error-503")
    for text in page.locator(".vq-msg .vq-bubble").all_inner_texts():
        assert text.strip(), "empty chat bubble"
    assert page.js_errors == []


def test_phone_360px_no_horizontal_scroll(service_url, host_site, new_page):
    from playwright.sync_api import expect

    # Full page at 360 px: answer, then the reader.
    page = new_page(360, 740)
    page.goto(service_url + "/")
    _ask(page, "bao nhiêu tài khoản VNeID?")
    expect(page.locator(".vq-answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    _ask(page, "Giá vàng hôm nay?")
    expect(page.locator(".vq-noanswer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.locator(".vq-answer").scroll_into_view_if_needed()
    _shot(page, "widget-10-phone-answer")
    result = page.evaluate(JS_OVERFLOW)
    assert result["scrollWidth"] <= result["clientWidth"], result
    assert result["offenders"] == [], result

    page.locator(".vq-answer .vq-chip").first.click()
    expect(page.locator("mark.vq-cited")).to_be_visible(timeout=30_000)
    _shot(page, "widget-11-phone-reader")
    result = page.evaluate(JS_OVERFLOW)
    assert result["offenders"] == [], result

    # The embed at 360 px: the panel fills the screen.
    page2 = new_page(360, 740)
    page2.goto(host_site + "/embed.html")
    page2.get_by_role("button", name="Mở hộp hỏi đáp số liệu").click()
    _ask(page2, "bao nhiêu tài khoản VNeID?")
    expect(page2.locator(".vq-answer")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    _shot(page2, "widget-12-phone-embed")
    result = page2.evaluate(JS_OVERFLOW)
    assert result["scrollWidth"] <= result["clientWidth"], result
    assert result["offenders"] == [], result
    assert page.js_errors == [] and page2.js_errors == []


def test_filters_reach_the_service_and_narrow_the_answer(service_url, new_page):
    """window.vnqa.setFilters sends published_from/doc_ids with every question; the real service
    then answers only from the articles they admit (the April 2024 figure, not July's)."""
    from playwright.sync_api import expect

    page = new_page()
    page.goto(service_url + "/")
    page.evaluate("window.vnqa.setFilters({published_to: '2024-05-01'})")
    with page.expect_request("**/ask") as sent:
        _ask(page, "bao nhiêu tài khoản VNeID?")
    assert sent.value.post_data_json["published_to"] == "2024-05-01"
    answer = page.locator(".vq-answer").last
    expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(answer).not_to_contain_text("75,7 triệu")  # that figure is from July 2024
    page.evaluate("window.vnqa.setFilters(null)")
    with page.expect_request("**/ask") as sent:
        _ask(page, "bao nhiêu tài khoản VNeID?")
    assert "published_to" not in sent.value.post_data_json
    expect(page.locator(".vq-answer").last).to_contain_text("75,7 triệu", timeout=ANSWER_TIMEOUT_MS)
    assert page.js_errors == []


def test_a_confidence_floor_reaches_the_service_and_withholds_what_it_cannot_vouch_for(service_url, new_page):
    """setFilters({min_confidence}) sends the floor with every question. The test server runs the
    rule reader, which gives no confidence, so no answer reaches a floor above 0: the widget shows
    the closest passages instead; without the floor the figure comes back."""
    from playwright.sync_api import expect

    page = new_page()
    page.goto(service_url + "/")
    page.evaluate("window.vnqa.setFilters({min_confidence: 0.5})")
    with page.expect_request("**/ask") as sent:
        _ask(page, "bao nhiêu tài khoản VNeID?")
    assert sent.value.post_data_json["min_confidence"] == 0.5
    expect(_last_bot(page)).to_contain_text("Không tìm thấy", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(".vq-answer")).to_have_count(0)
    page.evaluate("window.vnqa.setFilters({min_confidence: 7})")  # no probability: not sent
    with page.expect_request("**/ask") as sent:
        _ask(page, "bao nhiêu tài khoản VNeID?")
    assert "min_confidence" not in sent.value.post_data_json
    expect(page.locator(".vq-answer").last).to_contain_text("75,7 triệu", timeout=ANSWER_TIMEOUT_MS)
    assert page.js_errors == []
