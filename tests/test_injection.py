"""Injection-proof: text from YAML and raw HTML in author Markdown never runs in the reader's browser.

A scratch copy of the mini fixture gets a hostile payload in every text field (handbook, campaign,
documents, orientations, themes, readings, month guide with its questions and hints, glossary,
quotations) and hostile Markdown in a full text; the real CLI builds it; every page opens in
Chromium. Nothing may execute (a trap on window.__pwned, dialogs), no element may carry an on*
attribute or a javascript: URL, no script may come from content, and each planted YAML text must
still read as the text the author typed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from browser import chromium, guarded_context, site_url
from conftest import MINI, ROOT, run_sotay

# One line that attacks every context a title or a sentence can land in: element text, a quoted or
# unquoted attribute, <title>, Markdown links and attribute lists, entities a template might
# unescape, and template syntax.
PAYLOAD = (
    "<script>window.__pwned='script'</script> <img src=x onerror=\"window.__pwned='img'\"> "
    "\"><svg onload=\"window.__pwned='svg'\"> '><svg onload=window.__pwned='svg2'> "
    "</title><script>window.__pwned='title'</script> [a](javascript:window.__pwned='link') "
    "{: onclick=\"window.__pwned='attr'\" } &lt;img src=x onerror=window.__pwned='entity'&gt; {{ 7*7 }}"
)

# Raw HTML and Markdown tricks in a full text (content/documents/*.md)
HOSTILE_MARKDOWN = """
<script>window.__pwned='ft-script'</script>

<img src=x onerror="window.__pwned='ft-img'">

<div markdown="1" onclick="window.__pwned='ft-div'">Khối có thuộc tính</div>

<a href="javascript:window.__pwned='ft-a'">liên kết a</a> <sup onclick="window.__pwned='ft-sup'">1</sup>
<br/onload="window.__pwned='ft-br'"> <svg><script>window.__pwned='ft-svg'</script></svg>

[liên kết](javascript:window.__pwned='ft-link') [hoa](  JaVaScRiPt:window.__pwned='ft-case')
[nhọn](<javascript:window.__pwned='ft-angle'>) [tham chiếu][r1] [thực thể](javascript&#58;window.__pwned='ft-ent')
[vb](vbscript:msgbox) [dữ liệu](data:text/html,<script>window.__pwned='ft-data'</script>) <javascript:window.__pwned='ft-auto'>

[r1]: javascript:window.__pwned='ft-ref'

![ảnh](https://example.org/x.png) ![ảnh2](x "t&quot; onerror=&quot;window.__pwned='ft-imgtitle'")

[tiêu đề](https://example.org "<img src=x onerror=window.__pwned='ft-linktitle'>")

Đoạn có thuộc tính
{: onclick="window.__pwned='ft-attr'" }

Đoạn khác {onmouseover="window.__pwned='ft-attr2'"}

## Tiêu đề có thuộc tính {: onclick="window.__pwned='ft-heading'" }

<iframe srcdoc="<script>parent.__pwned='ft-iframe'</script>"></iframe>
<style>body { display: none }</style>
<form action="javascript:window.__pwned='ft-form'"><button>Gửi</button></form>
<!-- <script>window.__pwned='ft-comment'</script> -->

*[TU]: <img src=x onerror="window.__pwned='ft-abbr'">

Trích dẫn mẫu: {quote}

Chú thích được phép<sup>2</sup>.
"""

# keys whose values are ids, dates, choices, numbers or file names, not free text
NOT_TEXT = {"id", "source", "documents", "implements", "topics", "focus", "choices", "readings", "document",
            "full_text", "kind", "level", "date", "start", "end", "due", "report_deadline", "minutes",
            "quotes", "url"}  # urls: hostile ones of their own below

# planted but printed on no page (kept for the author's use)
NOT_SHOWN = {"contact"}

# text fields the mini fixture leaves out, added so that every text field of the schema is planted
OPTIONAL_TEXT = {
    "handbook.yml": {"contact": ""},
    "documents/12-kh-tu.yml": {"place": "", "signer_title": "", "summary": "",
                               "corrections": [{"original": "", "corrected": "", "reason": ""}]},
    "campaigns/dot-mau/campaign.yml": {"summary": ""},
}

TRAP = """
window.__hits = [];
Object.defineProperty(window, "__pwned", { configurable: false, set(value) { window.__hits.push(String(value)); },
                                           get() { return undefined; } });
"""

# every attribute that runs script, every URL that does, every script that is not the theme's own
UNSAFE_DOM = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${el.tagName} ${name}`);
      if (/^(href|src|action|formaction|xlink:href|data)$/.test(name) && /^(javascript|vbscript|data):/.test(value))
        found.push(`${el.tagName} ${name}=${attr.value}`);
      // the search worker's iframe (assets/javascripts/iframe-worker.js) is the only srcdoc allowed
      if (name === "srcdoc" && !(el.tagName === "IFRAME" && el.parentElement === document.body && !el.closest("article")))
        found.push(`${el.tagName} srcdoc`);
    }
    if (["IFRAME", "OBJECT", "EMBED", "FORM", "STYLE"].includes(el.tagName) && el.closest("article"))
      found.push(`<${el.tagName.toLowerCase()}> in the article`);
  }
  for (const script of document.scripts)
    if (/__pwned/.test(script.textContent) || (script.src && !script.src.includes("/assets/")))
      found.push(`script ${script.src || script.textContent.slice(0, 60)}`);
  return found;
}"""


# elements with a title (links with one, abbreviations, the logo) and navigation titles cut short,
# which the theme gives a title
MARK_HOVERED = """() => {
  for (const el of document.querySelectorAll("[title], abbr, .md-ellipsis"))
    if (!el.matches(".md-ellipsis") || el.offsetWidth < el.scrollWidth) el.setAttribute("data-test-hover", "");
}"""


def planted(marker: int) -> str:
    return f"Z{marker}Z {PAYLOAD}"


def plant(value, counter: list[str], key: str | None = None):
    """value with every free-text string replaced by a payload numbered by its place in counter
    (the list of the planted keys); quotations keep their text and gain a planted one that the full
    text also holds."""
    if isinstance(value, dict):
        # "source" names a document in a citation (beside "section"), elsewhere it is free text
        out = {k: plant(v, counter, "text" if k == "source" and "section" not in value else k)
               for k, v in value.items()}
        if "quotes" in value:
            out["quotes"] = [*value["quotes"], QUOTE]
        return out
    if isinstance(value, list):
        return [plant(v, counter, key) for v in value]
    if isinstance(value, str) and key not in NOT_TEXT and not (key == "number" and re.fullmatch(r"[\d.]+", value)):
        counter.append(key)
        return planted(len(counter))
    return value


QUOTE = "Câu trích " + PAYLOAD.replace("{{ 7*7 }}", "")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    """The mini project with payloads everywhere, built with the real CLI by MkDocs and by Zensical:
    {"site": the MkDocs site, "sites": by engine, "keys": the key of each planted text, in marker
    order}."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    shutil.copytree(MINI, content)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    counter: list[str] = []
    for path in sorted(content.rglob("*.yml")):
        name = path.relative_to(content).as_posix()
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(OPTIONAL_TEXT.get(name, {}))
        if name == "glossary.yml":  # a term to plant as well, beside the abbreviations
            data["terms"].append({"term": "", "kind": "thuat-ngu", "expansion": "", "definition": ""})
        if name == "campaigns/dot-mau/campaign.yml":
            data["reporting"]["to"] = ""
        if name == "campaigns/dot-mau/months/2024-12.yml":
            data["sessions"][0]["title"] = ""
            data["member_tasks"][0]["note"] = ""
        if name == "campaigns/dot-mau/readings.yml":
            data["readings"][1].update(source="", url="https://example.org/\"><svg onload=window.__pwned='url'>")
            data["readings"].append({"id": "doc-nguy-hiem", "title": "", "kind": "bai-viet",
                                     "url": "javascript:window.__pwned='reading-url'"})
        data = plant(data, counter)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    full_text = content / "documents" / "12-kh-tu.md"
    full_text.write_text(full_text.read_text(encoding="utf-8") + HOSTILE_MARKDOWN.replace("{quote}", QUOTE),
                         encoding="utf-8")
    sites = {}
    for engine in ("mkdocs", "zensical"):
        sites[engine] = root / f"site-{engine}"
        result = run_sotay("build", "--engine", engine, "--site-dir", str(sites[engine]),
                           "--build-dir", str(root / f"build-{engine}"), cwd=root)
        assert result.returncode == 0, result.stdout + result.stderr
    assert len(counter) >= 50, counter
    return {"site": sites["mkdocs"], "sites": sites, "keys": counter}


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_payload_runs_and_every_text_reads_as_typed(engine, hostile, browser):
    site = hostile["sites"][engine]
    base = site_url(site)
    context, log = guarded_context(browser, base, viewport={"width": 1280, "height": 900})
    context.add_init_script(TRAP)
    dialogs: list[str] = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems: dict[str, list[str]] = {}
    texts: list[str] = []
    page = context.new_page()
    for html_file in sorted(site.rglob("*.html")):
        path = html_file.relative_to(site).as_posix()
        page.goto(base + path, wait_until="load")
        # point at whatever the theme could show a tooltip for (with the real mouse: the theme
        # ignores synthetic events), then let its timers run
        page.evaluate(MARK_HOVERED)
        for element in page.query_selector_all("[data-test-hover]"):
            if element.is_visible():
                element.hover(timeout=2000, force=True)
        page.wait_for_timeout(100)
        found = page.evaluate(UNSAFE_DOM) + [f"ran: {hit}" for hit in page.evaluate("window.__hits")]
        if found:
            problems[path] = found
        texts.append(page.evaluate("document.title"))
        texts.append(" ".join(page.evaluate("document.body.textContent").split()))
    context.close()
    assert problems == {}, problems
    assert dialogs == []
    assert log.outside == [], log.outside
    everything = "\n".join(texts)
    unseen = [(n, key) for n, key in enumerate(hostile["keys"], 1)
              if planted(n) not in everything and key not in NOT_SHOWN]
    assert unseen == [], f"planted texts not shown as typed: {unseen}"


def test_search_results_show_payloads_as_text(hostile, browser):
    """Search results are HTML built by the theme from the index: planted titles and texts found by
    a search stay text there too."""
    from test_search import WORKER_PROBE, SearchBox

    base = site_url(hostile["site"])
    context, log = guarded_context(browser, base, viewport={"width": 1280, "height": 900})
    context.add_init_script(TRAP)
    context.add_init_script(WORKER_PROBE)
    page = context.new_page()
    page.goto(base + "index.html")
    results = SearchBox(page, base).search("pwned")
    assert len(results) >= 5, results
    shown = " ".join(page.locator(".md-search-result").text_content().split())
    assert "<script>window.__pwned='script'</script>" in shown
    page.evaluate(MARK_HOVERED)
    for element in page.query_selector_all(".md-search-result [data-test-hover]"):
        if element.is_visible():
            element.hover(force=True)
    assert page.evaluate(UNSAFE_DOM) == [] and page.evaluate("window.__hits") == []
    context.close()
    assert log.outside == [] and log.errors == [], (log.outside, log.errors)


def test_raw_html_in_a_full_text_reads_as_text(hostile, browser):
    """Raw HTML other than a few bare inline tags, attribute lists and images in author Markdown
    show as the characters typed; unsafe link targets become "#"; safe Markdown still works."""
    base = site_url(hostile["site"])
    context, _ = guarded_context(browser, base)
    page = context.new_page()
    page.goto(base + "van-ban/12-kh-tu.html")
    text = " ".join(page.locator("article").text_content().split())
    for typed in ["<script>window.__pwned='ft-script'</script>", '<img src=x onerror="window.__pwned=\'ft-img\'">',
                  "{: onclick=\"window.__pwned='ft-attr'\" }", "<iframe srcdoc=", "<style>body { display: none }</style>"]:
        assert typed in text, typed
    assert page.locator("article sup", has_text="2").count() == 1  # a bare allowed tag keeps working
    assert page.locator("article em", has_text="đợt sinh hoạt").count() == 1
    targets = page.eval_on_selector_all("article a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert "https://example.org" in targets and "https://example.org/x.png" in targets  # the image is a link
    assert page.locator("article img").count() == 0
    assert not [t for t in targets if re.sub(r"[\s\x00-\x1f]", "", t).lower().startswith(("javascript", "vbscript", "data"))]
    context.close()
