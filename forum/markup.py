"""Markdown rendering and HTML sanitising for user-written content.

Markdown is rendered once at save time; the result is stored in `*_html`
columns; templates mark only those as safe. This is the only module that
imports the sanitiser (nh3), so the whole HTML policy lives here:

* CommonMark (plus tables and strikethrough) with raw HTML switched off, so
  any HTML typed by a user is shown as text; bare http(s) addresses become links.
* The rendered HTML is cleaned again by nh3 with an explicit allow-list.
* Links may use http, https, mailto or a relative URL and always get
  ``rel="nofollow noopener noreferrer ugc"``.
* A passage in another language is marked ``[Good morning]{lang=en}`` (the attrs syntax of
  mdit-py-plugins); it becomes ``<span lang="en">``, so a screen reader switches its voice
  (WCAG 3.1.2). Only ``lang`` is kept, and only a well-formed language tag.
* Images are only loaded from the site itself: a relative ``src`` or an
  absolute one whose host equals ``site_host``. Any other ``src`` is removed;
  the ``<img>`` then stays without ``src`` (it loads nothing and shows its
  alt text), which keeps the cleaning idempotent.
"""

from __future__ import annotations

import html
import re
from functools import partial

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin

ALLOWED_TAGS: frozenset[str] = frozenset(
    "p br hr blockquote pre code em strong del s ul ol li a img"
    " h1 h2 h3 h4 h5 h6 table thead tbody tr th td span".split()
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "span": frozenset({"lang"}),
}
# a language tag as BCP 47 spells it: "en", "fr-CA", "zh-Hant", "de-CH-1901"
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}")
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"



def _parser(*rules: str) -> MarkdownIt:
    """CommonMark without raw HTML, `[text]{lang=xx}` for a passage's language, and bare
    addresses with a scheme (https://…) as links (linkify-it-py). Only with a scheme:
    "datei.py" or "2.de" in a sentence stay text."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(
        [*rules, "linkify"]).use(attrs_plugin, spans=True, after=("span_close",),
                                 allowed=["lang"])
    linkify = parser.linkify
    assert linkify is not None  # the option above sets it up (linkify-it-py)
    linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    return parser


_md = _parser("table", "strikethrough")
_md_without_tables = _parser("strikethrough")
# A table pads every row to its header's width, so a short text can ask for a huge table (a
# 100-column header over 9,000 "|" lines: 18 kB in, 680 kB and a second of CPU out). Beyond
# this many cells in one table the text is rendered without tables, as plain paragraphs.
MAX_TABLE_CELLS = 2000
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
# Characters that old or lenient URL parsers skip: backtick, whitespace,
# controls and anything non-ASCII (the same normalisation bleach uses).
_LENIENT_JUNK = re.compile(r"[`\x00-\x20\x7f-\xa0\s]|[^\x00-\x7f]")


def _browser_url(value: str) -> str:
    """Return *value* roughly as a browser's URL parser sees it."""
    value = value.strip(_C0_AND_SPACE)
    return re.sub(r"[\t\n\r]", "", value).replace("\\", "/")


def _is_same_site(src: str, site_host: str | None) -> bool:
    url = _browser_url(src)
    scheme = _SCHEME.match(url)
    if not scheme and not url.startswith("//"):
        return True  # relative path on this site
    if scheme and scheme.group().lower() not in ("http:", "https:"):
        return False
    # Browsers ignore any number of slashes after "http(s):", so find the
    # authority by hand instead of trusting urllib; drop user info.
    rest = url[scheme.end() :] if scheme else url
    authority = re.split(r"[/?#]", rest.lstrip("/"), maxsplit=1)[0]
    host = authority.rpartition("@")[2].lower()
    return site_host is not None and host == site_host.lower()


def _filter_attribute(tag: str, name: str, value: str, *, site_host: str | None) -> str | None:
    """nh3 callback, run after nh3's own scheme check; None drops the attribute."""
    if name in ("href", "src"):
        # Defence in depth: also refuse "\u2028javascript:" or "`javascript:"
        # which today's browsers treat as relative paths.
        scheme = _SCHEME.match(_LENIENT_JUNK.sub("", value))
        if scheme and scheme.group()[:-1].lower() not in URL_SCHEMES:
            return None
    if tag == "img" and name == "src" and not _is_same_site(value, site_host):
        return None
    if name == "lang" and not _LANGUAGE_TAG.fullmatch(value):
        return None
    return value


def sanitize_html(html_fragment: str, site_host: str | None = None) -> str:
    """Clean an HTML fragment with the forum's allow-list."""
    return nh3.clean(
        html_fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        # "*" must be given: otherwise nh3 allows lang and title on every tag.
        attributes={"*": set()} | {t: set(a) for t, a in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=partial(_filter_attribute, site_host=site_host),
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def largest_table(source: str) -> int:
    """The cells of the largest table the text would make (columns of its delimiter row
    times its lines up to a blank line); one linear pass, no parsing."""
    lines = source.splitlines()
    until_blank = [0] * (len(lines) + 1)  # lines from here to the next blank line
    for index in range(len(lines) - 1, -1, -1):
        until_blank[index] = until_blank[index + 1] + 1 if lines[index].strip() else 0
    largest = 0
    for index, line in enumerate(lines):
        if "-" in line and _DELIMITER_ROW.match(line):
            columns = line.strip().strip("|").count("|") + 1
            largest = max(largest, columns * until_blank[index])
    return largest


def render_markdown(source: str, *, site_host: str | None = None) -> str:
    """Render user Markdown to sanitised HTML, ready to store in `*_html`; the cost is
    bounded by the text's length (20,000 characters in the forms) and MAX_TABLE_CELLS."""
    parser = _md if largest_table(source) <= MAX_TABLE_CELLS else _md_without_tables
    return sanitize_html(parser.render(source), site_host=site_host)


def render_plain_excerpt(source: str, length: int = 200) -> str:
    """Plain-text excerpt of a Markdown source; not HTML-escaped, let Jinja escape it."""
    text = html.unescape(nh3.clean(_md.render(source), tags=set()))
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: max(length - 1, 0)]
    if text[len(cut)] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


_WORDS = re.compile(r"(\w+)", re.UNICODE)


def highlight_excerpt(html_fragment: str, is_match, length: int = 40) -> str:
    """A search snippet: the stored post HTML as plain text, about `length` words around the
    first match, escaped, with matching words in <mark>. Safe to mark as HTML."""
    text = " ".join(html.unescape(nh3.clean(html_fragment, tags=set())).split())
    tokens = _WORDS.split(text)  # words at odd positions
    word_positions = [i for i in range(1, len(tokens), 2)]
    first = next((i for i in word_positions if is_match(tokens[i])), None)
    start = 0 if first is None else max(0, first - length)
    end = min(len(tokens), start + 2 * length)
    parts = []
    for i in range(start, end):
        piece = html.escape(tokens[i])
        parts.append(f"<mark>{piece}</mark>" if i % 2 == 1 and is_match(tokens[i]) else piece)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(tokens) else ""
    return prefix + "".join(parts).strip() + suffix


_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def one_line(text: str) -> str:
    """Plain text for a single line such as a mail subject: line breaks and other control
    characters become single spaces, whatever a title or a name typed by anybody holds."""
    return " ".join(_CONTROLS.sub(" ", text).split())
