"""Turning what people upload (.txt, .md, .html; bytes in some encoding) into article text.

Pure functions: the HTTP API and ``vnqa ingest`` share them, and both answer a file they cannot
read with a message that says what to do (``UnreadableDocument``), never with a guessed text.
"""

from __future__ import annotations

import codecs
import re
from html import unescape
from html.parser import HTMLParser

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html"}


class UnreadableDocument(ValueError):
    """A file or text that cannot become an article, with a message a person can act on."""


def decode(data: bytes, name: str = "the file") -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is refused, since a
    Vietnamese text decoded with the wrong code page turns into plausible-looking garbage."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UnreadableDocument(f"{name} starts with a UTF-16 mark but is not UTF-16 text ({e.reason})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableDocument(
            f"{name} is not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); save it as UTF-8 "
            "(Vietnamese files in Windows-1258 or TCVN3 must be converted first)") from None
    if "\x00" in text:
        raise UnreadableDocument(f"{name} contains NUL bytes: it looks like a binary file, not text")
    return text


class _TextOfHtml(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "svg", "head", "nav", "footer"}
    _BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
              "article", "header", "blockquote", "pre", "figcaption", "dd", "dt", "main", "aside", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title: str | None = None
        self._in_title = False
        self._h1: list[str] | None = None
        self.h1: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self.skipping += 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "h1" and self.h1 is None:
            self._h1 = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP and self.skipping:
            self.skipping -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")
        if tag == "h1" and self._h1 is not None:
            self.h1 = " ".join("".join(self._h1).split()) or None
            self._h1 = None

    def handle_data(self, data):
        if self._in_title:
            self.title = ((self.title or "") + data).strip()
        elif not self.skipping:
            self.parts.append(data)
            if self._h1 is not None:
                self._h1.append(data)


def _tidy_lines(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> tuple[str, str | None]:
    """(article text, title): one line per block element, scripts/styles/navigation dropped,
    entities decoded. The title is the page's ``<h1>``, else its ``<title>``."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return _tidy_lines("".join(parser.parts)), parser.h1 or parser.title


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*>\s?")


def markdown_to_text(md: str) -> tuple[str, str | None]:
    """(article text, title): headings, list and quote markers, emphasis, links and images
    reduced to their words; the first heading is the title."""
    title = None
    lines = []
    for line in md.replace("\r\n", "\n").split("\n"):
        if line.strip().startswith("```"):
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(1)
            title = title or line
        line = _MD_QUOTE.sub("", _MD_LIST.sub("", line))
        line = _MD_EMPHASIS.sub(r"\2", _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", line)))
        lines.append(unescape(line))
    return _tidy_lines("\n".join(lines)), title


def read_upload(data: bytes, filename: str) -> tuple[str, str | None]:
    """(text, title or None) of an uploaded file, by its extension."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = FORMATS.get(suffix)
    if kind is None:
        raise UnreadableDocument(f"{filename!r} is not a .txt, .md or .html file")
    text = decode(data, repr(filename))
    if kind == "html":
        return html_to_text(text)
    if kind == "markdown":
        return markdown_to_text(text)
    return text, None
