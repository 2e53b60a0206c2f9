"""Golden table of the /goal phrase: text and units -> the goal, or the words of the error.

TODAY is Wed 2026-11-25, so "by mar 1" is next year's and "by nov" this month's end.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from fitness_core.parsing.goals import GoalPhraseError, GoalSpec, Measure, parse_goal, retitled

TODAY = dt.date(2026, 11, 25)
IMP, MET = "imperial", "metric"
BENCH = "Barbell Bench Press - Medium Grip"
SQUAT = "Barbell Squat"
RUN = "Running, Treadmill"


class Err(NamedTuple):
    contains: str


def goal(measure: Measure, target: float, date: str | None, title: str, exercise: str | None = None) -> GoalSpec:
    return GoalSpec(measure, target, dt.date.fromisoformat(date) if date else None, title, exercise)


W, BF, LIFT, DIST = Measure.BODY_WEIGHT, Measure.BODY_FAT, Measure.LIFT, Measure.DISTANCE
PROT, KCAL, WORK = Measure.PROTEIN, Measure.CALORIES, Measure.WORKOUTS

CASES = [
    # body weight: bare numbers in the person's units, a typed unit always wins
    ("weight 175 by mar 1", IMP, goal(W, 175, "2027-03-01", "Weight 175 lb by Mar 1")),
    ("weight 80 by mar 1", MET, goal(W, 176.4, "2027-03-01", "Weight 80 kg by Mar 1")),
    ("weight 80kg by 2027-03-01", IMP, goal(W, 176.4, "2027-03-01", "Weight 80 kg by Mar 1")),
    ("weight 175 lbs by 2027-03-01", MET, goal(W, 175, "2027-03-01", "Weight 175 lb by Mar 1")),
    ("w 172.5 by march 1st", IMP, goal(W, 172.5, "2027-03-01", "Weight 172.5 lb by Mar 1")),
    ("weight 175", IMP, goal(W, 175, None, "Weight 175 lb")),
    ("weight 175 in 12 weeks", IMP, goal(W, 175, "2027-02-17", "Weight 175 lb by Feb 17")),
    ("weight 175 in 3 months", IMP, goal(W, 175, "2027-02-25", "Weight 175 lb by Feb 25")),
    ("weight 175 by nov 25", IMP, goal(W, 175, "2026-11-25", "Weight 175 lb by Nov 25")),
    ("weight 175 by nov", IMP, goal(W, 175, "2026-11-30", "Weight 175 lb by Nov 30")),
    ("weight 175 by 1 march 2028", IMP, goal(W, 175, "2028-03-01", "Weight 175 lb by Mar 1 2028")),
    ("weight 175 by feb 29", IMP, goal(W, 175, "2028-02-29", "Weight 175 lb by Feb 29 2028")),
    # body fat: month alone is that month's last day, the next one not over
    ("bf 15 by june", IMP, goal(BF, 15, "2027-06-30", "Body fat 15% by Jun 30")),
    ("body fat 15% by end of june", MET, goal(BF, 15, "2027-06-30", "Body fat 15% by Jun 30")),
    # lifts: the estimated one-rep max of the catalogue exercise
    ("bench 225 by june 30", IMP, goal(LIFT, 225, "2027-06-30", "Bench 1RM 225 lb by Jun 30", BENCH)),
    ("bench 100 by june 30", MET, goal(LIFT, 220.5, "2027-06-30", "Bench 1RM 100 kg by Jun 30", BENCH)),
    ("squat 140kg by may", IMP, goal(LIFT, 308.6, "2027-05-31", "Squat 1RM 140 kg by May 31", SQUAT)),
    ("squat 1rm 315 by may", IMP, goal(LIFT, 315, "2027-05-31", "Squat 1RM 315 lb by May 31", SQUAT)),
    # distances: a 5k target rounds down so a logged 5k (3.107 mi) reaches it
    ("run 5k by april", IMP, goal(DIST, 3.10, "2027-04-30", "Run 5 km by Apr 30", RUN)),
    ("run 10 by april", MET, goal(DIST, 6.21, "2027-04-30", "Run 10 km by Apr 30", RUN)),
    ("run 3 by april", IMP, goal(DIST, 3, "2027-04-30", "Run 3 mi by Apr 30", RUN)),
    # daily and weekly
    ("protein 160 daily", IMP, goal(PROT, 160, None, "Protein 160 g daily")),
    ("protein 160g a day", MET, goal(PROT, 160, None, "Protein 160 g daily")),
    ("160g protein per day", IMP, goal(PROT, 160, None, "Protein 160 g daily")),
    ("protein 160", MET, goal(PROT, 160, None, "Protein 160 g daily")),
    ("calories 2200 daily", MET, goal(KCAL, 2200, None, "Calories 2,200 kcal daily")),
    ("calories 2200 kcal daily", IMP, goal(KCAL, 2200, None, "Calories 2,200 kcal daily")),
    ("workouts 4 weekly", IMP, goal(WORK, 4, None, "Workouts 4 per week")),
    ("workouts 4x/week", MET, goal(WORK, 4, None, "Workouts 4 per week")),
    ("workouts 4 times a week", IMP, goal(WORK, 4, None, "Workouts 4 per week")),
    ("4 workouts a week", IMP, goal(WORK, 4, None, "Workouts 4 per week")),
    ("gym 3 per week", IMP, goal(WORK, 3, None, "Workouts 3 per week")),
    # errors: dates
    ("weight 175 by 2026-03-01", IMP, Err("Mar 1 2026 is in the past")),
    ("weight 175 by mar 1 2026", MET, Err("Mar 1 2026 is in the past")),
    ("weight 175 by 2027-02-30", IMP, Err("2027-02-30 is not a date")),
    ("weight 175 by feb 30", IMP, Err("February has no day 30")),
    ("weight 175 by someday", IMP, Err("could not read the date “someday”")),
    ("weight 175 in 0 weeks", IMP, Err("give the goal some time")),
    # errors: what is tracked
    ("height 180", IMP, Err("don't know “height”")),
    ("happiness 10 by june", IMP, Err("don't know “happiness”")),
    ("waist 30 by june", IMP, Err("Goals for waist are not tracked")),
    ("fat 60 daily", IMP, Err("Goals for fat are not tracked")),
    ("pullups 20 by june", IMP, Err("bodyweight exercise")),
    ("run 5k in 25:00 by june", IMP, Err("Time targets like “25:00” are not tracked")),
    # errors: numbers, units and ranges (fitness_core.ranges)
    ("weight", IMP, Err("needs a target number")),
    ("", IMP, Err("Tell me the goal")),
    ("12 by june", IMP, Err("A goal of 12 what?")),
    ("weight 2000 by june", IMP, Err("within 50-1000 lb")),
    ("weight 600 by june", MET, Err("within 22.7-453.6 kg")),
    ("bf 90 by june", IMP, Err("within 2-75 %")),
    ("bench 1000kg by june", IMP, Err("within 0-907.2 kg")),
    ("protein 0 daily", IMP, Err("more than zero")),
    ("calories 20000 daily", IMP, Err("within 0-10000 kcal")),
    ("workouts 20 weekly", IMP, Err("within 1-14 workouts a week")),
    ("weight 80 cm by june", MET, Err("“80 cm” is not in lb or kg")),
    # errors: periods
    ("weight 175 daily", IMP, Err("reached once, not every day")),
    ("protein 160 weekly", IMP, Err("Protein goals are per day")),
    ("workouts 4 daily", IMP, Err("Workouts goals are per week")),
    ("weight 175 soon", IMP, Err("didn't understand “soon”")),
]


@pytest.mark.parametrize(("text", "units", "expected"), CASES, ids=[f"{c[0]}|{c[1]}" for c in CASES])
def test_goal_phrase(text, units, expected, resolver):
    if isinstance(expected, Err):
        with pytest.raises(GoalPhraseError) as error:
            parse_goal(text, today=TODAY, units=units, resolver=resolver)
        assert expected.contains in str(error.value)
    else:
        assert parse_goal(text, today=TODAY, units=units, resolver=resolver) == expected


def test_a_deadline_today_is_allowed_and_yesterday_is_not(resolver):
    assert parse_goal("weight 175 by 2026-11-25", today=TODAY, units=IMP, resolver=resolver).target_date == TODAY
    with pytest.raises(GoalPhraseError, match="in the past"):
        parse_goal("weight 175 by 2026-11-24", today=TODAY, units=IMP, resolver=resolver)


def test_extending_replaces_the_deadline_in_a_generated_title():
    assert retitled("Weight 175 lb by Mar 1", dt.date(2027, 3, 15), TODAY) == "Weight 175 lb by Mar 15"
    assert retitled("Weight 175 lb by Mar 1 2028", dt.date(2028, 3, 15), TODAY) == "Weight 175 lb by Mar 15 2028"
    assert retitled("Protein 160 g daily", dt.date(2026, 12, 9), TODAY) == "Protein 160 g daily by Dec 9"
