"""site_build.reading_time: which words count as visible, and where the time goes."""

from __future__ import annotations

import markdown

from site_build.reading_time import (
    WORDS_PER_MINUTE,
    minutes,
    visible_text,
    visible_words,
    with_reading_time,
)

TABS = """
<div class="tabbed-set tabbed-alternate" data-tabs="1:2">
<input checked="checked" id="t1" name="t" type="radio">
<input id="t2" name="t" type="radio">
<div class="tabbed-labels">
<label for="t1">First</label><label for="t2">Second</label>
</div>
<div class="tabbed-content">
<div class="tabbed-block"><p>shown tab</p></div>
<div class="tabbed-block"><p>hidden tab words</p></div>
</div></div>
"""


def test_closed_details_count_only_their_summary():
    html = (
        "<p>one two</p><details><summary>Going deeper</summary><p>three four</p>"
        "</details><details open><summary>Open</summary><p>five</p></details>"
    )
    assert visible_text(html).split() == [
        "one",
        "two",
        "Going",
        "deeper",
        "Open",
        "five",
    ]


def test_only_the_selected_tab_counts():
    assert visible_text(TABS).split() == ["First", "Second", "shown", "tab"]
    second = TABS.replace('<input checked="checked" id="t1"', '<input id="t1"').replace(
        '<input id="t2"', '<input checked id="t2"'
    )
    assert visible_text(second).split() == ["First", "Second", "hidden", "tab", "words"]


def test_block_tags_separate_words_and_inline_tags_do_not():
    html = "<p><code>x</code>.grad</p><p>a</p><ul><li>b</li><li>c</li></ul>"
    assert visible_text(html).split() == ["x.grad", "a", "b", "c"]


def test_permalinks_scripts_and_the_reading_time_do_not_count():
    html = (
        '<h1>Title<a class="headerlink" href="#t">&para;</a></h1>'
        '<p class="reading-time">Reading time: about 1 min</p>'
        "<script>var x = 1;</script><style>p {}</style><p>body</p>"
    )
    assert visible_text(html).split() == ["Title", "body"]


def test_within_counts_only_inside_the_article():
    html = "<nav><p>menu</p></nav><article><p>a b</p></article><footer>c</footer>"
    assert visible_words(html, within="article") == 2


def test_the_reading_time_goes_under_the_title_of_a_page_that_runs_python():
    words = " ".join(["word"] * (WORDS_PER_MINUTE * 2 + 1))
    page = f"<h1>Title</h1>\n<p>{words}</p>\n"
    code = '<div class="language-python highlight"><pre><code>x = 1</code></pre></div>'
    assert with_reading_time(page) == page  # no runnable code: no reading time
    shown = with_reading_time(page + code)
    assert shown.startswith(
        '<h1>Title</h1>\n<p class="reading-time">Reading time: about 3 min</p>'
    )
    assert minutes(visible_words(shown)) == 3


def test_the_extension_adds_it_to_a_rendered_page():
    html = markdown.markdown(
        "# Title\n\nSome words.\n\n```python\nx = 1\n```\n",
        extensions=[
            "pymdownx.superfences",
            "pymdownx.highlight",
            "site_build.reading_time",
        ],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )
    assert '<p class="reading-time">Reading time: about 1 min</p>' in html
