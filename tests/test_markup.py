"""Tests for forum.markup: Markdown rendering, sanitising and excerpts.

Outputs are judged with an independent HTML5 parser (html5lib) instead of
string comparison, and a second sanitiser (bleach) must agree with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import bleach
import html5lib
import pytest

from forum.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    URL_SCHEMES,
    render_markdown,
    render_plain_excerpt,
    sanitize_html,
)
from tests.xss_corpus import INLINE_PAYLOADS

SITE = "forum.example"
SHARED_XSS = Path(__file__).resolve().parents[1].parent / "shared" / "xss"

# --------------------------------------------------------------------------
# independent judge


def _parse(html: str):
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def _elements(html: str) -> Iterator:
    root = _parse(html)
    for el in root.iter():
        if el is not root:
            yield el


def _url_as_browser_sees_it(value: str) -> str:
    """Strip leading/trailing C0 controls and spaces, drop TAB/LF/CR."""
    value = value.strip("".join(chr(c) for c in range(0x21)))
    return value.replace("\t", "").replace("\n", "").replace("\r", "")


def _scheme(url: str) -> str | None:
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def _img_src_is_same_site(url: str, site_host: str | None) -> bool:
    url = url.replace("\\", "/")  # browsers treat "\" like "/" in http(s) URLs
    if _scheme(url) is None and not url.startswith("//"):
        return True
    if site_host is None:
        return False
    own = rf"(?:https?:)?//{re.escape(site_host)}(?:[/?#]|$)"
    return re.match(own, url, re.IGNORECASE) is not None


def assert_safe(html: str, site_host: str | None = None) -> None:
    """Fail unless *html* only holds allowed elements, attributes and URLs."""
    for el in _elements(html):
        assert isinstance(el.tag, str), f"comment or other node in {html!r}"
        assert el.tag in ALLOWED_TAGS, f"tag {el.tag!r} in {html!r}"
        allowed = ALLOWED_ATTRIBUTES.get(el.tag, frozenset())
        if el.tag == "a":
            allowed = allowed | {"rel"}
            assert el.get("rel") == LINK_REL, f"rel missing in {html!r}"
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), f"{name!r} in {html!r}"
            assert name in allowed, f"{el.tag}[{name}] in {html!r}"
            if name not in ("href", "src"):
                continue
            url = _url_as_browser_sees_it(value)
            scheme = _scheme(url)
            assert scheme is None or scheme in URL_SCHEMES, f"{url!r} in {html!r}"
            if el.tag == "img":
                assert _img_src_is_same_site(url, site_host), f"{url!r} in {html!r}"


def _signature(html: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    return [(el.tag, tuple(sorted(el.attrib.items()))) for el in _elements(html)]


def _bleach(html: str) -> str:
    attributes = {tag: sorted(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()}
    attributes["a"] = [*attributes["a"], "rel"]  # nh3 adds rel on purpose
    return bleach.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=attributes,
        protocols=["http", "https", "mailto"],
        strip=True,
    )


# --------------------------------------------------------------------------
# corpus


def _load_corpora() -> dict[str, list[str]]:
    corpora = {"inline": list(INLINE_PAYLOADS)}
    if not SHARED_XSS.is_dir():
        return corpora
    for path in sorted(SHARED_XSS.glob("patt_*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        corpora[path.name] = [line for line in text.splitlines() if line.strip()]
    dompurify = SHARED_XSS / "dompurify_payloads.json"
    if dompurify.is_file():
        items = json.loads(dompurify.read_text(encoding="utf-8"))
        corpora[dompurify.name] = [item["payload"] for item in items]
    vectors = SHARED_XSS / "markdown_vectors.json"
    if vectors.is_file():
        corpora[vectors.name] = json.loads(vectors.read_text(encoding="utf-8"))
    bleach_tests = sorted((SHARED_XSS / "bleach").glob("*.test"))
    if bleach_tests:
        corpora["bleach"] = [
            re.split(r"^--$", p.read_text(encoding="utf-8"), maxsplit=1, flags=re.MULTILINE)[
                0
            ].removesuffix("\n")
            for p in bleach_tests
        ]
    return corpora


CORPORA = _load_corpora()


def _problems(payload: str) -> Iterator[str]:
    outputs = {
        "markdown": render_markdown(payload),
        "markdown+site": render_markdown(payload, site_host=SITE),
        "html": sanitize_html(payload),
        "html+site": sanitize_html(payload, site_host=SITE),
    }
    for kind, out in outputs.items():
        site = SITE if kind.endswith("+site") else None
        try:
            assert_safe(out, site)
        except AssertionError as exc:
            yield f"{kind}: unsafe: {exc}"
        if sanitize_html(out, site_host=site) != out:
            yield f"{kind}: not idempotent: {out!r}"
        if _signature(_bleach(out)) != _signature(out):
            yield f"{kind}: bleach disagrees: {out!r} -> {_bleach(out)!r}"


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_corpus_every_payload_renders_safe_and_bleach_agrees(name: str) -> None:
    payloads = CORPORA[name]
    assert payloads, f"corpus {name} is empty"
    failures = [f"{p!r}: {msg}" for p in payloads for msg in _problems(p)]
    assert not failures, f"{len(failures)} problems, first: " + "\n".join(failures[:5])


def test_assert_safe_bad_html_is_rejected() -> None:
    for bad in (
        f'<a href="javascript:alert(1)" rel="{LINK_REL}">x</a>',
        f'<a href="jav&#x09;ascript:alert(1)" rel="{LINK_REL}">x</a>',
        '<img src="https://evil.example/x.png">',
        '<img src="/\\evil.example/x.png">',
        "<img src=x onerror=alert(1)>",
        "<svg></svg>",
        '<p style="color:red">x</p>',
        "<a>no rel</a>",
    ):
        with pytest.raises(AssertionError):
            assert_safe(bad)


# --------------------------------------------------------------------------
# normal Markdown


def test_render_markdown_emphasis_renders_em_strong_and_strike() -> None:
    out = render_markdown("*a* **b** ~~c~~")
    assert out == "<p><em>a</em> <strong>b</strong> <s>c</s></p>\n"


def test_render_markdown_lists_render_ul_and_ol_with_start() -> None:
    out = render_markdown("- a\n- b\n\n3. c\n4. d\n")
    tags = [el.tag for el in _elements(out)]
    assert tags == ["ul", "li", "li", "ol", "li", "li"]
    assert '<ol start="3">' in out


def test_render_markdown_fenced_code_is_escaped_and_class_dropped() -> None:
    out = render_markdown("```python\nif a < b: print('<b>')\n```\n")
    assert out == ("<pre><code>if a &lt; b: print('&lt;b&gt;')\n</code></pre>\n")


def test_render_markdown_link_gets_rel_attribute() -> None:
    out = render_markdown('[Doku](https://example.org/x "Titel")')
    (link,) = _elements(out.removeprefix("<p>").removesuffix("</p>\n"))
    assert link.attrib == {
        "href": "https://example.org/x",
        "title": "Titel",
        "rel": LINK_REL,
    }
    assert_safe(out)


@pytest.mark.parametrize("url", ["mailto:a@example.org", "/t/42", "#antwort-3"])
def test_render_markdown_harmless_link_target_is_kept(url: str) -> None:
    out = render_markdown(f"[x]({url})")
    assert f'href="{url}"' in out
    assert_safe(out)


def test_render_markdown_table_renders_without_style() -> None:
    out = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    tags = [el.tag for el in _elements(out)]
    assert tags == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert "style" not in out
    assert_safe(out)


def test_render_markdown_headings_and_quote_are_kept() -> None:
    out = render_markdown("# T\n\n> zitat\n\n---\n")
    assert [el.tag for el in _elements(out)] == ["h1", "blockquote", "p", "hr"]


# --------------------------------------------------------------------------
# raw HTML and dangerous URLs


def test_render_markdown_raw_html_is_escaped_as_text() -> None:
    out = render_markdown('<script>alert(1)</script> <b onclick="x">b</b>')
    assert [el.tag for el in _elements(out)] == ["p"]
    assert "&lt;script&gt;" in out and "&lt;b onclick" in out


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#x6A;avascript&#58;alert(1)",
        "&#0001;javascript:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "DATA:text/html,x",
    ],
)
def test_render_markdown_dangerous_link_scheme_is_dropped(url: str) -> None:
    # markdown-it may instead percent-encode the URL into a harmless relative
    # path (e.g. "jav%09ascript:..."); what matters is the scheme a browser sees.
    for source in (f"[x]({url})", f"[x][r]\n\n[r]: {url}", f"<{url}>"):
        out = render_markdown(source)
        assert_safe(out)
        for el in _elements(out):
            href = _url_as_browser_sees_it(el.get("href", ""))
            assert _scheme(href) is None, (source, out)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " \x01\x1fjavascript:alert(1)",
        "java\tscript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_sanitize_html_dangerous_href_is_dropped(url: str) -> None:
    out = sanitize_html(f'<a href="{url}">x</a>')
    assert out == f'<a rel="{LINK_REL}">x</a>'


@pytest.mark.parametrize("prefix", ["\u2028", "\u00a0", "\u3000", "&#x180E;", "`", "\u200b"])
def test_sanitize_html_unicode_space_before_scheme_is_dropped(prefix: str) -> None:
    out = sanitize_html(f'<a href="{prefix}javascript:alert(1)">x</a>')
    assert out == f'<a rel="{LINK_REL}">x</a>'


def test_sanitize_html_generic_lang_and_title_are_removed() -> None:
    out = sanitize_html('<p lang="de" title="t" id="i" class="c">x</p>')
    assert out == "<p>x</p>"


def test_sanitize_html_event_handlers_and_unknown_tags_are_removed() -> None:
    out = sanitize_html('<p onclick="x" style="y"><svg onload=x></svg>hi</p>')
    assert out == "<p>hi</p>"


def test_sanitize_html_script_content_is_removed() -> None:
    assert sanitize_html("a<script>alert(1)</script>b") == "ab"


# --------------------------------------------------------------------------
# images


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/x.png",
        "http://evil.example/x.png",
        "//evil.example/x.png",
        "https://forum.example@evil.example/x.png",
        "https://forum.example.evil.example/x.png",
        "mailto:a@example.org",
    ],
)
def test_render_markdown_offsite_image_src_is_removed(src: str) -> None:
    for site_host in (None, SITE):
        out = render_markdown(f"![alt]({src})", site_host=site_host)
        assert out == '<p><img alt="alt"></p>\n'


@pytest.mark.parametrize(
    "src",
    [
        "/\\evil.example/x.png",
        "\\\\evil.example/x.png",
        "https:evil.example/x.png",
        "https:/\\evil.example/x.png",
        " //evil.example/x.png",
        "/\t/evil.example/x.png",
    ],
)
def test_sanitize_html_tricky_offsite_image_src_is_removed(src: str) -> None:
    out = sanitize_html(f'<img src="{src}">', site_host=SITE)
    assert out == "<img>"


@pytest.mark.parametrize("src", ["/static/img/x.png", "/x.png", "bild.png"])
def test_render_markdown_relative_image_is_kept(src: str) -> None:
    out = render_markdown(f"![alt]({src})")
    assert out == f'<p><img src="{src}" alt="alt"></p>\n'
    assert_safe(out)


@pytest.mark.parametrize(
    "src",
    ["https://forum.example/x.png", "http://FORUM.example/x.png", "//forum.example/x.png"],
)
def test_render_markdown_same_site_absolute_image_is_kept(src: str) -> None:
    out = render_markdown(f"![alt]({src})", site_host=SITE)
    assert "src=" in out
    assert_safe(out, SITE)
    assert "src=" not in render_markdown(f"![alt]({src})")


# --------------------------------------------------------------------------
# excerpts


def test_render_plain_excerpt_markup_is_stripped_and_whitespace_collapsed() -> None:
    source = "# Titel\n\n*Hallo*   **Welt** & [Link](https://x.example)\n\n- a\n- b"
    assert render_plain_excerpt(source) == "Titel Hallo Welt & Link a b"


def test_render_plain_excerpt_raw_html_stays_plain_text() -> None:
    assert render_plain_excerpt("<b>x</b> 1 < 2") == "<b>x</b> 1 < 2"


def test_render_plain_excerpt_long_text_is_cut_at_word_boundary() -> None:
    out = render_plain_excerpt("eins zwei drei vier fünf", length=12)
    assert out == "eins zwei…"
    assert len(out) <= 12


def test_render_plain_excerpt_exact_word_end_keeps_last_word() -> None:
    assert render_plain_excerpt("eins zwei drei", length=10) == "eins zwei…"


def test_render_plain_excerpt_single_long_word_is_hard_cut() -> None:
    assert render_plain_excerpt("x" * 50, length=10) == "x" * 9 + "…"


# --- a passage in another language (WCAG 3.1.2) ---------------------------------------------

def test_passage_in_another_language_is_marked_for_screen_readers():
    html = render_markdown("Das heißt auf Englisch [lifelong learning]{lang=en}.")
    assert html == '<p>Das heißt auf Englisch <span lang="en">lifelong learning</span>.</p>\n'
    assert '<span lang="fr-CA">' in render_markdown("[Bonjour]{lang=fr-CA}")


def test_passage_language_keeps_only_a_wellformed_lang():
    for source in ('[x]{lang="en onclick=alert(1)"}', '[x]{lang="\\"><script>"}',
                   "[x]{id=y class=z style=color:red}", '[x]{onclick="alert(1)"}'):
        html = render_markdown(source)
        assert html == "<p><span>x</span></p>\n", (source, html)
    # not the attrs syntax at all: stays text
    assert render_markdown("[x]{onclick=alert(1)}") == "<p>[x]{onclick=alert(1)}</p>\n"
