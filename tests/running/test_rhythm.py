"""Who is overdue follows from the agreed rhythm and the dates: month ends, a leap year, reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from bmw_mentor.framework.schema import Checklists
from bmw_mentor.projectfile.project import Pair
from bmw_mentor.running.checkins import CheckIn
from bmw_mentor.running.rhythm import Plan, after, expected_meetings, plan_from, state
from bmw_mentor.running.settings import running

D = dt.date
PAIR = Pair(mentor="An Peeters", mentee="Sofie Janssens")
GRACE = running().grace_days


def met(*days: dt.date, review: bool = False) -> list[CheckIn]:
    return [CheckIn(d, PAIR.mentor, PAIR.mentee, 30, review) for d in days]


def monthly(start: dt.date, end: dt.date | None = None, reviews: tuple[dt.date, ...] = ()) -> Plan:
    return Plan(start, end, running().rhythm["monthly"], reviews)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (D(2027, 1, 31), 1, D(2027, 2, 28)),  # an ordinary February
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # a leap year
        (D(2028, 1, 31), 2, D(2028, 3, 31)),  # counted from the start, not from 29 February
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # across the new year into a leap February
        (D(2027, 8, 31), 1, D(2027, 9, 30)),
    ],
)
def test_a_monthly_rhythm_keeps_to_month_ends(start: dt.date, months: int, due: dt.date) -> None:
    assert after(start, running().rhythm["monthly"], months) == due


def test_expected_meetings_count_whole_intervals_only() -> None:
    rhythm = running().rhythm["monthly"]
    assert expected_meetings(D(2028, 1, 31), D(2028, 2, 28), rhythm) == 0
    assert expected_meetings(D(2028, 1, 31), D(2028, 2, 29), rhythm) == 1
    assert expected_meetings(D(2028, 1, 31), D(2028, 12, 31), rhythm) == 11
    weekly = running().rhythm["weekly"]
    assert expected_meetings(D(2027, 9, 6), D(2027, 10, 20), weekly) == 6


def test_overdue_for_a_meeting_in_a_leap_february() -> None:
    plan = monthly(D(2028, 1, 1))
    # last met on 31 January: the next meeting is due on 29 February 2028, late after the grace days
    on_time = state(PAIR, met(D(2028, 1, 31)), plan, D(2028, 2, 29) + dt.timedelta(days=GRACE))
    assert on_time.next_meeting == D(2028, 2, 29)
    assert on_time.meeting_late_days == 0 and not on_time.overdue
    late = state(PAIR, met(D(2028, 1, 31)), plan, D(2028, 2, 29) + dt.timedelta(days=GRACE + 1))
    assert late.overdue and late.meeting_late_days == GRACE + 1


def test_the_same_dates_in_an_ordinary_year_are_a_day_later_overdue() -> None:
    plan = monthly(D(2027, 1, 1))
    today = D(2027, 2, 28) + dt.timedelta(days=GRACE + 1)  # 3 March 2027
    s = state(PAIR, met(D(2027, 1, 31)), plan, today)
    assert s.next_meeting == D(2027, 2, 28)
    assert s.meeting_late_days == (today - D(2027, 2, 28)).days


def test_a_pair_that_never_met_is_late_from_its_start() -> None:
    plan = Plan(D(2027, 9, 6), D(2028, 3, 6), running().rhythm["weekly"], ())
    s = state(PAIR, [], plan, D(2027, 10, 20))
    assert (s.meetings, s.expected, s.last) == (0, 6, None)
    assert s.next_meeting == D(2027, 9, 13) and s.meeting_late_days == 37


def test_meetings_after_today_or_of_another_pair_do_not_count() -> None:
    plan = monthly(D(2027, 1, 1))
    other = CheckIn(D(2027, 1, 20), "Someone", "Else")
    s = state(PAIR, [*met(D(2027, 1, 10), D(2027, 3, 1)), other], plan, D(2027, 2, 1))
    assert (s.meetings, s.last) == (1, D(2027, 1, 10))


def test_before_the_start_and_after_the_end_no_meeting_is_overdue() -> None:
    plan = monthly(D(2027, 9, 6), D(2028, 3, 6))
    assert state(PAIR, [], plan, D(2027, 8, 1)).phase == "not_started"
    after_end = state(PAIR, [], plan, D(2028, 6, 1))
    assert after_end.phase == "finished" and after_end.meeting_late_days == 0
    assert after_end.expected == 6  # counted up to the end of the relationship only


def test_reviews_are_matched_to_their_planned_moments() -> None:
    reviews = (D(2027, 10, 6), D(2027, 12, 6), D(2028, 3, 6))
    plan = monthly(D(2027, 9, 6), D(2028, 3, 6), reviews)
    # the first review was held a little early; the second was missed
    log = met(D(2027, 10, 1), review=True) + met(D(2027, 11, 5), D(2027, 12, 20))
    s = state(PAIR, log, plan, D(2027, 12, 20))
    assert s.review_missed == D(2027, 12, 6)
    assert s.next_review == D(2028, 3, 6)
    before = state(PAIR, log, plan, D(2027, 12, 6) + dt.timedelta(days=GRACE))
    assert before.review_missed is None and before.next_review == D(2027, 12, 6)


def test_the_plan_follows_the_answers(checklists: Checklists) -> None:
    answers = {
        "start_date": D(2028, 1, 31),
        "relationship_months": 6,
        "meeting_frequency": "monthly",
        "programme_focus": "induction",
        "review_months_induction": ["month_1", "month_3", "end_of_period"],
    }
    plan = plan_from(answers, checklists)
    assert plan.end == D(2028, 7, 31)
    assert plan.reviews == (D(2028, 2, 29), D(2028, 4, 30), D(2028, 7, 31))
    growth = plan_from({**answers, "programme_focus": "growth", "review_every_months": 2}, checklists)
    assert growth.reviews == (D(2028, 3, 31), D(2028, 5, 31), D(2028, 7, 31))
    no_rhythm = plan_from({**answers, "meeting_frequency": "as_needed"}, checklists)
    assert no_rhythm.rhythm is None
    assert state(PAIR, [], no_rhythm, D(2028, 5, 1)).meeting_late_days == 0


def test_a_pair_meeting_half_as_often_falls_behind_without_being_late() -> None:
    plan = Plan(D(2027, 9, 6), D(2028, 3, 6), running().rhythm["weekly"], ())
    fortnightly = [D(2027, 9, 6) + dt.timedelta(days=14 * k) for k in range(13)]  # up to 2028-02-21
    s = state(PAIR, met(*fortnightly), plan, D(2028, 2, 24))
    assert s.meeting_late_days == 0 and not s.overdue
    assert (s.meetings, s.expected) == (13, 24) and s.behind and s.needs_attention
    weekly = [D(2027, 9, 13) + dt.timedelta(days=7 * k) for k in range(24)]
    assert not state(PAIR, met(*weekly), plan, D(2028, 2, 24)).behind
