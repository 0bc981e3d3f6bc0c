"""The calendar of the real site: the .ics files parse and hold exactly the dates of the content
(sessions, hand-in and report deadlines, campaign milestones) with stable UIDs and DTSTAMP from
SOURCE_DATE_EPOCH; the calendar page lists them and links the files; the home page shows the month
guide current at the build date."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest

from conftest import ROOT

from generator import slugs
from generator.cli import load_site
from generator.render import format_date


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT / "content")


def read_ics(path) -> list:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def expected_dates(book) -> list[tuple[date, str]]:
    """(first day, words the summary must contain) for every dated thing of a campaign, from the content."""
    expected = []
    for month in book.months:
        guide = month.guide
        for session in guide.sessions:
            expected.append((session.date, session.title or guide.title))
        if not guide.sessions:
            expected.append((month.first_day, guide.title))
        for task in guide.member_tasks:
            if task.due:
                expected.append((task.due, task.kind.label.lower()))
        if guide.report_deadline:
            expected.append((guide.report_deadline, "báo cáo"))
    for milestone in book.campaign.timeline:
        expected.append((milestone.date, milestone.title))
    return sorted(expected)


def test_campaign_calendars_hold_exactly_the_dates_of_the_content(handout_build, site):
    stamp = datetime.fromtimestamp(handout_build["epoch"], tz=timezone.utc)
    everything = read_ics(handout_build["site"] / slugs.CALENDAR_ICS)
    all_uids = [str(e["UID"]) for e in everything]
    assert len(all_uids) == len(set(all_uids)), "UIDs must be unique"
    total = 0
    for book in site.campaigns:
        events = read_ics(handout_build["site"] / slugs.campaign_ics(book.id))
        found = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events)
        wanted = expected_dates(book)
        assert [day for day, _ in found] == [day for day, _ in wanted], book.id
        for (day, summary), (_, words) in zip(found, wanted):
            assert words in summary or any(words in s for d, s in found if d == day), (day, summary, words)
        for event in events:
            uid = str(event["UID"])
            assert re.fullmatch(rf"{book.id}\.[a-z-]+\.[0-9-]+@sotay", uid), uid
            assert uid in all_uids
            assert event.decoded("DTSTAMP") == stamp
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert type(start) is date and end > start  # all-day events, DTEND exclusive
            assert str(event["CATEGORIES"].cats[0]) == book.campaign.short_title
        total += len(events)
    assert total == len(everything)


def test_month_without_fixed_sessions_is_a_window_ending_before_the_report(handout_build, site):
    for book in site.campaigns:
        events = {str(e["UID"]): e for e in read_ics(handout_build["site"] / slugs.campaign_ics(book.id))}
        for month in book.months:
            if month.guide.sessions:
                continue
            window = events[f"{book.id}.sinh-hoat.{month.month.replace('-', '')}@sotay"]
            assert window.decoded("DTSTART") == month.first_day
            last = window.decoded("DTEND") - timedelta(days=1)
            assert last.strftime("%Y-%m") == month.month
            deadline = month.guide.report_deadline
            if deadline and deadline.strftime("%Y-%m") == month.month:
                assert last == deadline - timedelta(days=1)


def test_calendar_page_lists_every_date_and_links_the_files(handout_build, site):
    page = handout_build["site"] / (slugs.CALENDAR[:-3] + ".html")
    text = page.read_text(encoding="utf-8")
    main = re.search(r"<article\b.*?</article>", text, re.S).group(0)
    for href in [slugs.CALENDAR_ICS] + [slugs.campaign_ics(book.id) for book in site.campaigns]:
        assert f'href="{href}"' in main
        assert (handout_build["site"] / href).is_file()
    words_shown = squeeze(html.unescape(re.sub(r"<[^>]+>", "", main)))  # <abbr> may sit inside a title
    for book in site.campaigns:
        for day, _ in expected_dates(book):
            assert format_date(day) in words_shown
        for milestone in book.campaign.timeline:
            assert squeeze(milestone.title) in words_shown


def squeeze(text: str) -> str:
    return "".join(text.split())


def expected_current(site, today: date):
    """The guide of the build month, else the next one to come, else the latest (said independently
    of plan.current_month)."""
    guides = [(month.month, book.id) for book in site.campaigns for month in book.months]
    this = today.strftime("%Y-%m")
    same = [g for g in guides if g[0] == this]
    later = sorted(g for g in guides if g[0] > this)
    return (same or later or sorted(guides)[-1:])[0] if guides else None


def test_home_page_shows_the_guide_current_at_the_build_date(handout_build, site):
    today = datetime.fromtimestamp(handout_build["epoch"], tz=timezone.utc).date()
    month, book_id = expected_current(site, today)
    home = (handout_build["site"] / "index.html").read_text(encoding="utf-8")
    section = re.search(r'id="thang-nay".*?</div>\s*</div>', home, re.S)
    assert section, "the home page has no 'Tháng này' section"
    target = slugs.month_page(book_id, month)[:-3] + ".html"
    assert f'href="{target}"' in section.group(0)
