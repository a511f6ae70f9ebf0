"""Who is due: meetings against the agreed rhythm, and the planned review moments of each pair.

Pure date arithmetic on the answers and the log, so that the tests can set any
"today". Months are calendar months from the pair's start, clamped to the end
of a month (a monthly pair that started on 31 January is due on 28 or 29
February, then on 31 March), and counted from the start each time so that the
dates do not drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bmw_mentor.documents.dates import add_months
from bmw_mentor.framework.schema import AnswerValue, Checklists
from bmw_mentor.projectfile.project import Pair
from bmw_mentor.running.checkins import CheckIn
from bmw_mentor.running.settings import Rhythm, running


def after(day: dt.date, rhythm: Rhythm, times: int = 1) -> dt.date:
    """``day`` plus ``times`` rhythm intervals."""
    if rhythm.days is not None:
        return day + dt.timedelta(days=rhythm.days * times)
    return add_months(day, (rhythm.months or 0) * times)


def expected_meetings(start: dt.date, until: dt.date, rhythm: Rhythm) -> int:
    """How many meetings the rhythm asks for from ``start`` up to and including ``until``."""
    count = 0
    while after(start, rhythm, count + 1) <= until:
        count += 1
    return count


@dataclass(frozen=True)
class Plan:
    """What the answers agreed for every pair: start, end, rhythm and review moments."""

    start: dt.date | None
    end: dt.date | None
    rhythm: Rhythm | None
    reviews: tuple[dt.date, ...]


def plan_from(answers: Mapping[str, AnswerValue], checklists: Checklists) -> Plan:
    """The agreed rhythm and review dates, from the set-up and step 4 answers."""
    start = answers.get("start_date")
    start = start if isinstance(start, dt.date) else None
    months = answers.get("relationship_months")
    end = (
        add_months(start, int(months))
        if start and isinstance(months, (int, float)) and not isinstance(months, bool)
        else None
    )
    frequency = answers.get("meeting_frequency")
    rhythm = running().rhythm.get(frequency) if isinstance(frequency, str) else None
    reviews: set[dt.date] = set()
    if start is not None:
        focus = answers.get("programme_focus")
        question = checklists.questions.get("review_months_induction")
        chosen = answers.get("review_months_induction")
        if focus in ("induction", "both") and question is not None and isinstance(chosen, list):
            values = {c.id: c.value for c in question.choices}
            for choice in chosen:
                value = values.get(choice)
                if value is None:
                    continue
                # a value of 0 is the end of the mentoring period
                due = add_months(start, int(value)) if value else end
                if due is not None:
                    reviews.add(due)
        every = answers.get("review_every_months")
        if focus in ("growth", "both") and isinstance(every, int) and not isinstance(every, bool) and every > 0:
            k = 1
            while (due := add_months(start, every * k)) and (end is None or due <= end) and k <= 60:
                reviews.add(due)
                k += 1
    return Plan(start, end, rhythm, tuple(sorted(reviews)))


@dataclass(frozen=True)
class PairState:
    """Where one pair stands on a given day."""

    pair: Pair
    meetings: int
    minutes: int
    last: dt.date | None
    expected: int | None
    next_meeting: dt.date | None
    meeting_late_days: int
    next_review: dt.date | None
    review_missed: dt.date | None
    phase: str  # not_started, running, finished, no_start

    @property
    def overdue(self) -> bool:
        return self.meeting_late_days > 0 or self.review_missed is not None

    @property
    def behind(self) -> bool:
        """Fewer meetings than the rhythm's share asks for, counted once a few were due."""
        return (
            self.phase in ("running", "finished")
            and self.expected is not None
            and self.expected >= 4
            and self.meetings < self.expected * running().behind_share
        )

    @property
    def needs_attention(self) -> bool:
        return self.overdue or self.behind


def state(pair: Pair, meetings: list[CheckIn], plan: Plan, today: dt.date) -> PairState:
    """The pair's standing on ``today``, from its own meetings and the agreed plan."""
    own = sorted(m for m in meetings if m.belongs_to(pair) and m.date <= today)
    last = own[-1].date if own else None
    minutes = sum(m.minutes or 0 for m in own)
    grace = dt.timedelta(days=running().grace_days)
    if plan.start is None:
        return PairState(pair, len(own), minutes, last, None, None, 0, None, None, "no_start")
    if today < plan.start:
        phase = "not_started"
    elif plan.end is not None and today >= plan.end:
        phase = "finished"
    else:
        phase = "running"
    expected = next_meeting = None
    late = 0
    if plan.rhythm is not None and phase != "not_started":
        until = min(today, plan.end) if plan.end else today
        expected = expected_meetings(plan.start, until, plan.rhythm)
        if phase == "running":
            next_meeting = after(max(last, plan.start) if last else plan.start, plan.rhythm)
            if today > next_meeting + grace:
                late = (today - next_meeting).days
    next_review, missed = _reviews(own, plan.reviews, today, grace)
    return PairState(pair, len(own), minutes, last, expected, next_meeting, late, next_review, missed, phase)


def _reviews(
    own: list[CheckIn], due_dates: tuple[dt.date, ...], today: dt.date, grace: dt.timedelta
) -> tuple[dt.date | None, dt.date | None]:
    """The next planned review, and the oldest one that was missed (no review logged for it)."""
    early = dt.timedelta(days=running().review_early_days)
    held = [m.date for m in own if m.review]
    used: set[int] = set()
    missed: dt.date | None = None
    upcoming: dt.date | None = None
    for due in due_dates:
        match = next((i for i, day in enumerate(held) if i not in used and day >= due - early), None)
        if match is not None:
            used.add(match)
        elif today > due + grace:
            missed = missed or due
        elif upcoming is None:
            upcoming = due
    return upcoming, missed
