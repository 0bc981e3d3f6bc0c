"""The calendar: every session date and deadline of every campaign, and their iCalendar files.

`calendar_events` is pure and feeds both the calendar page and the .ics files. UIDs are made from
campaign, kind and date, never from titles, so a calendar app updates an event when its wording
changes instead of adding a second one; DTSTAMP is the build time (SOURCE_DATE_EPOCH), so the same
content and epoch give byte-identical files. (Named ical, not calendar, to leave the stdlib module be.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar

from . import slugs
from .model import CampaignBook, MonthGuide, Site

PRODUCT_ID = "-//So tay//sotay//VI"
UID_DOMAIN = "sotay"


@dataclass(frozen=True)
class Event:
    start: date
    end: date | None  # last day, inclusive; None for a one-day event
    kind: str  # "session" | "session-window" | "task" | "report" | "milestone"
    title: str
    campaign_id: str
    page: str  # the page that says more about it
    uid: str
    detail: str | None = None  # for the calendar app: the month guide it belongs to

    @property
    def last_day(self) -> date:
        return self.end or self.start


def calendar_events(site: Site) -> list[Event]:
    """Every dated thing of every campaign, in date order (ties keep campaign and content order)."""
    events: list[Event] = []
    for book in site.campaigns:
        for month in book.months:
            events += _month_events(book, month)
        for index, milestone in enumerate(book.campaign.timeline, start=1):
            events.append(Event(milestone.date, milestone.end, "milestone", milestone.title, book.id,
                                slugs.campaign_page(book.id), _uid(book.id, "moc", f"{milestone.date:%Y%m%d}-{index}")))
    order = {book.id: i for i, book in enumerate(site.campaigns)}
    return sorted(events, key=lambda e: (e.start, order[e.campaign_id]))


def _month_events(book: CampaignBook, month: MonthGuide) -> list[Event]:
    guide = month.guide
    page = slugs.month_page(book.id, month.month)
    key = month.month.replace("-", "")
    detail = f"Hướng dẫn sinh hoạt: {guide.title}"
    events = []
    for index, session in enumerate(guide.sessions, start=1):
        title = f"Sinh hoạt chi bộ: {session.title or guide.title}"
        events.append(Event(session.date, None, "session", title, book.id, page,
                            _uid(book.id, "sinh-hoat", f"{key}-{index}"), detail))
    if not guide.sessions:
        # each cell picks its day: the window runs to the end of the month, or to the day before the
        # report is due when that falls inside the month ("trước ngày ...")
        first = month.first_day
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if guide.report_deadline and first < guide.report_deadline <= last:
            last = guide.report_deadline - timedelta(days=1)
        events.append(Event(first, last if last > first else None, "session-window",
                            f"Sinh hoạt chi bộ (chi bộ chọn ngày): {guide.title}", book.id, page,
                            _uid(book.id, "sinh-hoat", key), detail))
    for index, task in enumerate(guide.member_tasks, start=1):
        if task.due:
            events.append(Event(task.due, None, "task", f"Hạn nộp {task.kind.label.lower()}", book.id, page,
                                _uid(book.id, "han-nop", f"{key}-{index}"), detail))
    if guide.report_deadline:
        events.append(Event(guide.report_deadline, None, "report",
                            f"Hạn báo cáo của chi bộ (trước ngày {guide.report_deadline:%d/%m/%Y})", book.id, page,
                            _uid(book.id, "bao-cao", key), detail))
    return events


def _uid(campaign_id: str, kind: str, key: str) -> str:
    return f"{campaign_id}.{kind}.{key}@{UID_DOMAIN}"


# What each event gave the last time: `sotay serve` makes every file again after each save, and an
# event with the same fields, campaign name and stamp gives the same lines.
_SERIALISED: dict[tuple[Event, str, datetime], bytes] = {}


def calendar_files(site: Site, events: list[Event], stamp: datetime) -> dict[str, bytes]:
    """One .ics per campaign (beside its pages) and one with every campaign (beside the calendar page)."""
    names = {book.id: book.campaign.short_title for book in site.campaigns}
    # every event is in two files (its campaign's and the one of all campaigns): serialised once
    serialised = {}
    for event in events:
        key = (event, names[event.campaign_id], stamp)
        serialised[key] = _SERIALISED.get(key) or event_ics(event, names, stamp)
    _SERIALISED.clear()
    _SERIALISED.update(serialised)
    lines = {event: serialised[(event, names[event.campaign_id], stamp)] for event in events}
    files = {slugs.CALENDAR_ICS: to_ics(f"{site.handbook.title}: lịch sinh hoạt", events, lines)}
    for book in site.campaigns:
        own = [e for e in events if e.campaign_id == book.id]
        files[slugs.campaign_ics(book.id)] = to_ics(f"Lịch sinh hoạt: {book.campaign.short_title}", own, lines)
    return files


def to_ics(name: str, events: list[Event], lines: dict[Event, bytes]) -> bytes:
    """A VCALENDAR of the events, from their serialised VEVENTs (event_ics)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(lines[event] for event in events) + b"END:VCALENDAR" + end


def event_ics(event: Event, campaign_names: dict[str, str], stamp: datetime) -> bytes:
    """One VEVENT, its lines as they stand inside a VCALENDAR."""
    entry = icalendar.Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.start)
    entry.add("dtend", event.last_day + timedelta(days=1))  # all-day events end the day after
    entry.add("summary", event.title)
    entry.add("categories", [campaign_names[event.campaign_id]])
    campaign = campaign_names[event.campaign_id]
    entry.add("description", f"{campaign}. {event.detail}" if event.detail else campaign)
    entry.add("transp", "TRANSPARENT")
    return entry.to_ical()
