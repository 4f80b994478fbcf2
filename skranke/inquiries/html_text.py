"""The words of an e-mail that came as HTML only, as plain text for the
contact centre's worklist: what a mail program would show, without its
markup, scripts, styles or hidden parts. Paragraphs and lines stay apart,
a link keeps its address beside its label, and broken HTML (as mail
programs and web forms write it) still gives what can be read.

The text is shown in a page later, escaped there; nothing here needs to
make it safe HTML, only to leave no markup in it."""

import re
import string
from html.parser import HTMLParser

# Their content is never shown: code, styling, the document's head and
# title, and templates that a script would have filled in.
_HIDDEN = frozenset({"script", "style", "head", "title", "template"})
# What a head holds; anything else (text, a <p>, <body>) ends an unclosed
# head, as it does in a browser.
_IN_HEAD = frozenset({"meta", "link", "base", "title", "style", "script", "noscript", "template"})
# A paragraph: a blank line before and after.
_PARAGRAPHS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol",
        "dl", "hr", "address", "figure", "form", "fieldset",
    }
)  # fmt: skip
# A line of its own.
_LINES = frozenset(
    {
        "div", "br", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav",
        "aside", "main", "caption", "figcaption", "details", "summary", "center", "legend",
        "option",
    }
)  # fmt: skip
# Table cells stand side by side, a space apart.
_CELLS = frozenset({"td", "th"})
# Where the author's own spaces and line breaks count.
_PREFORMATTED = frozenset({"pre", "textarea"})
_LINK_SCHEMES = ("http://", "https://", "mailto:")
# The text is read in pieces of this many characters, so that a limit on the
# text can stop the reading of a huge mail early.
_PIECE = 65_536
_WHITESPACE = " \t\n\r\f\xa0"
# What may follow "<" where a tag, an end tag or a comment begins.
_TAG_STARTS = frozenset(string.ascii_letters + "/!?")
# Control characters show as nothing (PostgreSQL refuses NUL); lone
# surrogates cannot be stored as UTF-8.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class _TextCollector(HTMLParser):
    """Collects the shown text of an HTML document, piece by piece as the
    parser hands it over, with line breaks where blocks begin and end."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.visible = 0
        # Line breaks owed before the next text: 1 a new line, 2 a blank one.
        self._breaks = 0
        self._space = False
        self._hidden: list[str] = []
        self._preformatted = 0
        # The open link: its address, and where its label begins in `parts`.
        self._link: tuple[str, int] | None = None

    # What the parser hands over.

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden == ["head"] and tag not in _IN_HEAD:
            self._hidden.clear()
        if tag in _HIDDEN:
            self._hidden.append(tag)
            return
        if self._hidden:
            return
        self._open_block(tag)
        if tag == "a":
            self._close_link()
            href = next((value or "" for name, value in attrs if name == "href"), "").strip()
            if href.lower().startswith(_LINK_SCHEMES):
                self._link = (href, len(self.parts))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, and <p/> as some programs write them: a break, never
        # the start of a hidden part or a link with no end.
        if not self._hidden:
            self._open_block(tag)
            self._close_block(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            if tag in self._hidden:
                del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
            return
        if self._hidden:
            return
        if tag == "a":
            self._close_link()
        self._close_block(tag)

    def handle_data(self, data: str) -> None:
        data = _CONTROL.sub("", data)
        if self._hidden == ["head"] and data.strip():
            self._hidden.clear()
        if self._hidden or not data:
            return
        if self._preformatted:
            self._write_preformatted(data)
        else:
            self._write(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # Outlook writes marked sections (<![if !supportLists]>), and the
        # standard library's parser raises on one whose keyword it does not
        # know. A browser reads any as a comment that ends at the next ">",
        # and so does this where the parser gives up.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    def close(self) -> None:
        # A tag or comment still open when the document ends was cut off: a
        # browser shows nothing of it, and the parser would hand it over as
        # text. What is left unread starts at its "<".
        if self.rawdata[:1] == "<" and self.rawdata[1:2] in _TAG_STARTS:
            self.rawdata = ""
        super().close()

    # Blocks and links.

    def _open_block(self, tag: str) -> None:
        if tag in _PREFORMATTED:
            self._preformatted += 1
        if tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _LINES:
            self._break(1)
            if tag == "li":
                self._write("- ")
        elif tag in _CELLS:
            self._space = True

    def _close_block(self, tag: str) -> None:
        if tag in _PREFORMATTED and self._preformatted:
            self._preformatted -= 1
        if tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _LINES and tag != "br":
            self._break(1)

    def _close_link(self) -> None:
        if self._link is None:
            return
        href, start = self._link
        self._link = None
        label = " ".join("".join(self.parts[start:]).split())
        address = href.removeprefix("mailto:") if href.lower().startswith("mailto:") else href
        # A link without words (an image's) is left out, as its image is.
        if label and label not in (href, address):
            self._write(f" ({href})")

    # Writing.

    def _break(self, count: int) -> None:
        if self.parts:
            self._breaks = max(self._breaks, count)
        self._space = False

    def _write(self, data: str) -> None:
        words = data.split()
        if not words:
            self._space = self._space or bool(data)
            return
        text = " ".join(words)
        if self._breaks:
            self._append("\n" * self._breaks)
            self._breaks = 0
        elif self.parts and (self._space or data[0] in _WHITESPACE):
            self._append(" ")
        self._append(text)
        self._space = data[-1] in _WHITESPACE

    def _write_preformatted(self, data: str) -> None:
        if self._breaks:
            self._append("\n" * self._breaks)
            self._breaks = 0
        elif self._space and self.parts:
            self._append(" ")
        self._space = False
        self._append(data.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))

    def _append(self, text: str) -> None:
        self.parts.append(text)
        # What is left when the text is finished: its spaces may go.
        self.visible += len("".join(text.split()))

    def finish(self) -> str:
        self._close_link()
        lines = [line.rstrip() for line in "".join(self.parts).split("\n")]
        text = "\n".join(lines).strip("\n")
        while "\n\n\n" in text:
            text = text.replace("\n\n\n", "\n\n")
        return text


def reduce_html_to_text(*, html: str, max_chars: int | None = None) -> str:
    """The text a reader would see in `html`: no tags, comments, scripts,
    styles or head; a line break for each block (a blank line around a
    paragraph), `label (address)` for a link to a web or mail address that
    its label does not already show, character references read. Never
    raises on broken HTML: what could be read is returned.

    With `max_chars`, reading stops soon after the text is that long (the
    caller cuts it), so that a huge mail costs no more than its start."""
    collector = _TextCollector()
    try:
        for start in range(0, len(html), _PIECE):
            collector.feed(html[start : start + _PIECE])
            if max_chars is not None and collector.visible > max_chars:
                break
        collector.close()
    except AssertionError:
        # The standard library's parser gives up on some malformed markup
        # this module has not met yet; the text read until then stands.
        pass
    return collector.finish()
