"""main.html names each navigation section whose label is only an icon after the index page's link beside it, as the
page is built (`plugin.named_nav_sections`), so that each section's menu has a name of its own without a script."""

from __future__ import annotations

from bs4 import BeautifulSoup

from generator.engines.plugin import named_nav_sections


def section(
    path: str, title: str, label: str | None = '<span class="md-nav__icon md-icon"></span>', attrs: str = ""
) -> str:
    """A section as Material 9 draws it with navigation.indexes (partials/nav-item.html), its menu after it."""
    label_html = (
        "" if label is None else f'<label class="md-nav__link "{attrs} for="{path}" id="{path}_label">{label}</label>'
    )
    return f"""
      <li class="md-nav__item md-nav__item--nested">
        <input class="md-nav__toggle md-toggle " type="checkbox" id="{path}" >
        <div class="md-nav__link md-nav__container">
          <a href="{path}/" class="md-nav__link ">
            <span class="md-ellipsis">
              {title}
            </span>
          </a>
          {label_html}
        </div>
        <nav class="md-nav" data-md-level="1" aria-labelledby="{path}_label" aria-expanded="false"></nav>
      </li>"""


def names(html: str) -> dict[str, str | None]:
    soup = BeautifulSoup(str(named_nav_sections(html)), "html.parser")
    return {label["for"]: label.get("aria-label") for label in soup.select(".md-nav__container > label")}


def test_an_icon_only_label_is_named_after_the_link_beside_it_as_text() -> None:
    html = section("__nav_2", 'Tom &amp; Jerry\'s <code>&lt;b&gt;</code> "guide"')
    html += section("__nav_3", "What happened?")
    assert names(html) == {"__nav_2": 'Tom & Jerry\'s <b> "guide"', "__nav_3": "What happened?"}
    assert 'aria-label="Tom &amp; Jerry&#39;s &lt;b&gt; &#34;guide&#34;"' in named_nav_sections(html)


def test_a_section_without_a_label_lends_its_title_to_no_other() -> None:
    html = section("__nav_2", "Only one page", label=None) + section("__nav_3", "Second")
    assert names(html) == {"__nav_3": "Second"}
    assert named_nav_sections(html).count("aria-label=") == 1


def test_a_label_with_words_or_a_name_is_left_as_it_is() -> None:
    html = section("__nav_2", "First", label="Words") + section("__nav_3", "Second", attrs=' aria-label="Own"')
    assert named_nav_sections(html) == html
