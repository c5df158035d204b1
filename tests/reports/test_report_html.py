from html.parser import HTMLParser

from report_fixtures import sick_table

from hallbar.reports.formatting import SUPPRESSION_NOTE_SV
from hallbar.reports.html import render_html_table

VOID = {"br", "img", "input", "meta", "link", "hr"}


class Structure(HTMLParser):
    """Records tags and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False


def test_html_table_is_accessible_and_escaped():
    html = render_html_table(sick_table())
    parsed = Structure()
    parsed.feed(html)
    assert parsed.balanced and not parsed.stack
    assert "<script>" not in html
    assert "A &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<caption>Sjukfrånvaro per enhet: förvaltningarna [2025]</caption>" in html
    col_headers = [a for t, a in parsed.tags if t == "th" and a.get("scope") == "col"]
    row_headers = [a for t, a in parsed.tags if t == "th" and a.get("scope") == "row"]
    assert len(col_headers) == 5 and len(row_headers) == 5
    assert '<td class="num">1 234</td>' in html
    assert '<td class="num">7,3 %</td>' in html  # 7.25 rounds half up
    assert '<td class="num">34 500 kr</td>' in html
    assert 'title="Färre än 11 personer i gruppen"' in html
    assert html.count('class="num hb-suppressed"') == 2
    assert html.count("hb-missing") == 1
    assert "<details" in html and "<summary>Definitioner</summary>" in html
    assert "<dt>Sjukfrånvaro</dt>" in html
    assert SUPPRESSION_NOTE_SV in html


def test_caption_can_be_overridden_and_is_escaped():
    html = render_html_table(sick_table(), caption="<b>Egen</b> rubrik")
    assert "<caption>&lt;b&gt;Egen&lt;/b&gt; rubrik</caption>" in html
