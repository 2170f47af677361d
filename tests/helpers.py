from html.parser import HTMLParser

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol",
    "p", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
HIDDEN_TAGS = {"script", "style", "title", "head"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in HIDDEN_TAGS
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.hidden -= tag in HIDDEN_TAGS
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    """The text a reader sees, with whitespace collapsed as a browser would show it."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())
