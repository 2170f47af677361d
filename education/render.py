"""Markdown to safe HTML. Staff write Markdown; the public only ever sees what nh3 lets through."""

import re

import markdown
import nh3

# A line holding only this marker places a section's items (claims, steps, FAQs...) inside its text.
ITEMS_MARKER = "[[items]]"
_ITEMS_MARKER_HTML = f"<p>{ITEMS_MARKER}</p>"
_ITEMS_MARKER_PARAGRAPH = re.compile(rf"\n?{re.escape(_ITEMS_MARKER_HTML)}\n?")

# h1 and h2 belong to the page layout (one h1 a page, one h2 a section): body text starts at h3.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text, anchor_base=""):
    """Render staff Markdown to sanitised HTML.

    anchor_base turns in-page links such as "#faq" into links to another page's section, for
    text (like an FAQ answer) that is also shown away from its article.
    """

    def rewrite_anchor(tag, attribute, value):
        if anchor_base and tag == "a" and attribute == "href" and value.startswith("#"):
            return anchor_base + value
        return value

    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=rewrite_anchor,
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values={"th": {"scope": "col"}},
    )


def split_at_items(html):
    """Return the HTML before and after the items marker (all of it before, if there is none)."""
    before, _, after = html.partition(_ITEMS_MARKER_HTML)
    return before, after


def without_items_marker(html):
    """The HTML with the marker's paragraph left out: the text alone, for a reader who gets the
    items apart from it (the API)."""
    return _ITEMS_MARKER_PARAGRAPH.sub("\n", html).strip()


def markdown_without_items_marker(text):
    """The Markdown with the marker's paragraph left out, and the blank line after it: a line
    holding only the marker, with a blank line (or the start or end) on each side, the paragraph
    that without_items_marker leaves out of the HTML."""
    lines = text.splitlines(keepends=True)

    def blank(index):
        return not 0 <= index < len(lines) or not lines[index].strip()

    left_out = set()
    for index, line in enumerate(lines):
        if line.strip() == ITEMS_MARKER and blank(index - 1) and blank(index + 1):
            left_out.update([index, index + 1])
    return "".join(line for index, line in enumerate(lines) if index not in left_out)


def anchors_to_page(html, page_url):
    """In-page links (#anchor) of HTML shown away from its page, as links to that page's anchor."""
    return html.replace('href="#', f'href="{page_url}#')
