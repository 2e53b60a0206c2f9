"""Every word the chat language knows, in one place.

The parsing modules hold grammar only; what people actually type (keywords,
their synonyms and typos, unit spellings, meal types, scale names, cardio and
session words, small talk) lives here so that teaching the bot a new word is a
one-line data change. Multi-word keywords are stored *compact* (lowercase, no
spaces or hyphens: "bodyfat" matches "body fat", "body-fat" and "bodyfat").
"""

from __future__ import annotations

from dataclasses import dataclass


def compact(words: str) -> str:
    """The lookup key of a keyword: "Post-Workout" and "post workout" share "postworkout"."""
    return "".join(ch for ch in words.lower() if ch.isalnum() or ch == "%")


def _compact_keys(table: dict[str, str]) -> dict[str, str]:
    return {compact(key): value for key, value in table.items()}


# --------------------------------------------------------------------------- units

WEIGHT_UNITS = {
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "#": "lb",
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
}
LENGTH_UNITS = {
    "in": "in", "inch": "in", "inches": "in", '"': "in",
    "cm": "cm", "cms": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
}
DISTANCE_UNITS = {
    "mi": "mi", "mile": "mi", "miles": "mi",
    "km": "km", "kms": "km", "k": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km",
    "kilometres": "km",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
}
METRES_AMBIGUOUS_BELOW = 100
""""45m" is minutes to one person and metres to another; below this we ask instead of guessing."""

SECONDS_PER_UNIT = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
}
VOLUME_UNITS = {
    "oz": "oz", "floz": "oz", "ounce": "oz", "ounces": "oz",
    "ml": "ml", "l": "l", "liter": "l", "liters": "l", "litre": "l", "litres": "l",
    "cup": "cup", "cups": "cup", "pint": "pint", "pints": "pint", "quart": "quart", "quarts": "quart",
    "gal": "gal", "gallon": "gal", "gallons": "gal",
}
ENERGY_UNITS = frozenset({"kcal", "kcals", "cal", "cals", "calorie", "calories"})
GRAM_UNITS = frozenset({"g", "gram", "grams", "gr"})
MILLIGRAM_UNITS = frozenset({"mg", "milligram", "milligrams"})
PERCENT_UNITS = frozenset({"%", "percent", "pct"})
BPM_UNITS = frozenset({"bpm"})
PRESSURE_UNITS = frozenset({"mmhg"})
AM_PM = frozenset({"am", "pm", "a.m.", "p.m."})
SETS_WORDS = frozenset({"set", "sets", "sx"})
REPS_WORDS = frozenset({"rep", "reps", "r", "repetitions", "times"})

ALL_UNITS = frozenset(
    set(WEIGHT_UNITS) | set(LENGTH_UNITS) | set(DISTANCE_UNITS) | set(SECONDS_PER_UNIT)
    | set(VOLUME_UNITS) | ENERGY_UNITS | GRAM_UNITS | MILLIGRAM_UNITS | PERCENT_UNITS | BPM_UNITS
    | PRESSURE_UNITS | AM_PM | SETS_WORDS | REPS_WORDS | {"rpe", "p", "c", "f"}
)

# Storage rounding, by what a column measures (see the house rules).
ROUND_WEIGHT = 1
ROUND_LENGTH = 2
ROUND_DISTANCE = 3
ROUND_WATER = 1

# --------------------------------------------------------------------------- health metrics


@dataclass(frozen=True, slots=True)
class MetricField:
    """What a metric keyword sets: the columns, how its value is read, and how replies name it."""

    columns: tuple[str, ...]
    dimension: str  # body_weight | length | percent | plain | bpm | scale | pressure
    label: str


_WEIGHT = MetricField(("weight_lbs",), "body_weight", "weight")
_BODY_FAT = MetricField(("body_fat_percentage",), "percent", "body fat")
_MUSCLE = MetricField(("muscle_mass_lbs",), "body_weight", "muscle mass")
_ARMS = MetricField(("left_arm_inches", "right_arm_inches"), "length", "arms")
_THIGHS = MetricField(("left_thigh_inches", "right_thigh_inches"), "length", "thighs")
_CALVES = MetricField(("left_calf_inches", "right_calf_inches"), "length", "calves")
_LEFT_ARM = MetricField(("left_arm_inches",), "length", "left arm")
_RIGHT_ARM = MetricField(("right_arm_inches",), "length", "right arm")
_LEFT_THIGH = MetricField(("left_thigh_inches",), "length", "left thigh")
_RIGHT_THIGH = MetricField(("right_thigh_inches",), "length", "right thigh")
_LEFT_CALF = MetricField(("left_calf_inches",), "length", "left calf")
_RIGHT_CALF = MetricField(("right_calf_inches",), "length", "right calf")
_RHR = MetricField(("resting_heart_rate",), "bpm", "resting heart rate")
_BP = MetricField(("blood_pressure_systolic", "blood_pressure_diastolic"), "pressure", "blood pressure")
_ENERGY = MetricField(("energy_level",), "scale", "energy")
_MOOD = MetricField(("mood",), "scale", "mood")
_SLEEP = MetricField(("sleep_quality",), "scale", "sleep")
_STRESS = MetricField(("stress_level",), "scale", "stress")

METRIC_KEYWORDS: dict[str, MetricField] = _compact_keys({
    "weight": _WEIGHT, "wt": _WEIGHT, "w": _WEIGHT, "weighed": _WEIGHT, "weighed in": _WEIGHT,
    "weigh in": _WEIGHT, "weighin": _WEIGHT, "bw": _WEIGHT, "body weight": _WEIGHT, "scale": _WEIGHT,
    "wieght": _WEIGHT, "weigth": _WEIGHT, "wight": _WEIGHT, "weihgt": _WEIGHT, "wegiht": _WEIGHT,
    "weigh": _WEIGHT, "weighted in": _WEIGHT,
    "bf": _BODY_FAT, "body fat": _BODY_FAT, "bf%": _BODY_FAT, "body fat %": _BODY_FAT, "fat %": _BODY_FAT,
    "muscle": _MUSCLE, "muscle mass": _MUSCLE, "smm": _MUSCLE, "skeletal muscle": _MUSCLE,
    "lean mass": _MUSCLE,
    "bmi": MetricField(("bmi",), "plain", "BMI"),
    "waist": MetricField(("waist_inches",), "length", "waist"),
    "wasit": MetricField(("waist_inches",), "length", "waist"),
    "waste": MetricField(("waist_inches",), "length", "waist"),
    "chest": MetricField(("chest_inches",), "length", "chest"),
    "hips": MetricField(("hips_inches",), "length", "hips"),
    "hip": MetricField(("hips_inches",), "length", "hips"),
    "neck": MetricField(("neck_inches",), "length", "neck"),
    "arms": _ARMS, "arm": _ARMS, "biceps": _ARMS, "bicep": _ARMS,
    "left arm": _LEFT_ARM, "l arm": _LEFT_ARM, "left bicep": _LEFT_ARM,
    "right arm": _RIGHT_ARM, "r arm": _RIGHT_ARM, "right bicep": _RIGHT_ARM,
    "thighs": _THIGHS, "thigh": _THIGHS,
    "left thigh": _LEFT_THIGH, "l thigh": _LEFT_THIGH, "right thigh": _RIGHT_THIGH, "r thigh": _RIGHT_THIGH,
    "calves": _CALVES, "calf": _CALVES, "calfs": _CALVES,
    "left calf": _LEFT_CALF, "l calf": _LEFT_CALF, "right calf": _RIGHT_CALF, "r calf": _RIGHT_CALF,
    "rhr": _RHR, "resting hr": _RHR, "resting heart rate": _RHR, "pulse": _RHR, "resting pulse": _RHR,
    "bp": _BP, "blood pressure": _BP,
    "energy": _ENERGY, "energy level": _ENERGY, "enrgy": _ENERGY, "engery": _ENERGY,
    "mood": _MOOD,
    "sleep": _SLEEP, "sleep quality": _SLEEP, "slep": _SLEEP,
    "stress": _STRESS, "stress level": _STRESS, "stres": _STRESS,
})

METRIC_FILLERS = frozenset({":", "=", "-", "is", "was", "at", "of", "%", "~"})
"""Words allowed between a keyword and its value ("weight: 182", "bf% 18", "weighed in at 182")."""

UNTRACKED = _compact_keys({
    "slept": "hours of sleep are not tracked; rate sleep quality 1-10 instead, e.g. \"sleep 7\"",
    "sleep hours": "hours of sleep are not tracked; rate sleep quality 1-10 instead, e.g. \"sleep 7\"",
    "height": "height is not tracked; log weight, body fat or measurements",
    "steps": "steps are not tracked; log a walk instead, e.g. \"walk 3 mi 60 min\"",
    "hrv": "heart rate variability is not tracked; log resting heart rate, e.g. \"rhr 58\"",
})
"""Things people log that have no column: a precise error beats a guess or "not understood"."""

# --------------------------------------------------------------------------- exercises

X_SYMBOLS = frozenset({"x", "×", "*", "X"})
LOAD_WORDS = frozenset({"@", "at", "with", "w/"})
BODYWEIGHT_WORDS = frozenset({"bw", "bodyweight"})
EXERCISE_OPTION_WORDS = {"rpe": "rpe", "@rpe": "rpe", "rest": "rest_seconds", "form": "form_quality"}
EXERCISE_FILLER_WORDS = frozenset({"in", "of", "for", "each", "total", "+", "and"})
EXERCISE_NUMERIC_WORDS = frozenset(
    ALL_UNITS | X_SYMBOLS | LOAD_WORDS | BODYWEIGHT_WORDS | set(EXERCISE_OPTION_WORDS)
    | EXERCISE_FILLER_WORDS
)
"""Words that continue the numbers of a lift ("3 sets of 5 reps at 185 lbs rpe 8")."""

SETS_AS_WEIGHT_ABOVE = 10
"""In "AxB" with no other load, A above this is a weight ("185x5"), at or below it a set count ("3x10")."""

NAME_DESCRIPTOR_WORDS = frozenset({
    "easy", "light", "quick", "slow", "long", "short", "hard", "morning", "evening", "afternoon",
    "outdoor", "outside", "indoor", "treadmill", "recovery", "tempo", "steady", "did", "went", "for", "a",
    "some", "my", "the", "heavy", "paused", "pause", "strict",
})
"""Words dropped from a typed exercise name when the whole name does not resolve ("easy run")."""

CARDIO_WORDS = frozenset({
    "run", "ran", "running", "jog", "jogged", "jogging", "walk", "walked", "walking", "hike", "hiked",
    "hiking", "bike", "biked", "biking", "cycle", "cycled", "cycling", "ride", "rode", "spin", "row",
    "rowed", "rowing", "erg", "swim", "swam", "swimming", "skate", "skated", "ski", "skied", "skiing",
    "elliptical", "stairmaster", "stairs", "treadmill", "sprint", "sprints", "paddle", "kayak", "cardio",
    "ruck", "rucked", "rucking",
})
"""Cardio words for names the exercise data does not know ("swim 1000m 25 min")."""

BODYWEIGHT_EQUIPMENT = frozenset({"body only"})
CARDIO_CATEGORY = "cardio"

FUNCTION_WORDS = frozenset({
    "i", "im", "i'm", "ive", "i've", "me", "my", "we", "you", "it", "its", "it's", "was", "is", "am",
    "are", "were", "be", "been", "did", "didn't", "had", "have", "has", "got", "get", "the", "and", "but",
    "so", "that", "this", "feel", "felt", "feeling", "just", "not", "no", "very", "really", "today",
    "tonight", "then", "than", "what", "how", "why", "when", "because", "about", "can", "should",
    "would", "could", "will", "please",
})
"""Words of a sentence, never of an exercise name: "i did 20" is not an exercise called "i did"."""

# --------------------------------------------------------------------------- workout sessions

SESSION_TYPES = _compact_keys({
    "strength": "strength", "lifting": "strength", "weights": "strength", "cardio": "cardio",
    "conditioning": "cardio", "flexibility": "flexibility", "mobility": "flexibility",
    "stretching": "flexibility", "yoga": "flexibility", "martial arts": "martial_arts",
    "martial_arts": "martial_arts", "bjj": "martial_arts", "boxing": "martial_arts", "mma": "martial_arts",
    "sports": "sports", "sport": "sports", "recovery": "recovery", "mixed": "mixed", "hybrid": "mixed",
})
SESSION_NOUNS = frozenset({"workout", "session", "training", "trained", "gym", "lifted", "duration",
                           "workour", "wokrout", "worout"})
"""Words whose value is the session duration ("workout 60 min")."""

SESSION_SCALES = _compact_keys({
    "intensity": "intensity", "fatigue": "fatigue", "fatigued": "fatigue", "tiredness": "fatigue",
    "soreness": "soreness", "sore": "soreness", "doms": "soreness",
})
SESSION_NUMBERS = _compact_keys({"week": "week_number", "wk": "week_number", "day": "day_number"})
SESSION_PHASE_WORDS = _compact_keys({"phase": "program_phase", "program phase": "program_phase",
                                     "block": "program_phase"})
SESSION_TYPE_WORDS = _compact_keys({"type": "session_type", "session type": "session_type"})
MINUTES_M_SECONDS_PER_UNIT = {**SECONDS_PER_UNIT, "m": 60}
"""Where "m" can only be minutes: a session duration ("workout 45m"), or after hours ("1h 15m")."""

# --------------------------------------------------------------------------- meals

MEAL_TYPES = _compact_keys({
    "breakfast": "breakfast", "bfast": "breakfast", "brekkie": "breakfast", "brekky": "breakfast",
    "breaky": "breakfast", "lunch": "lunch", "dinner": "dinner", "supper": "dinner",
    "snack": "snack", "snacks": "snack", "pre workout": "pre_workout", "pre wo": "pre_workout",
    "post workout": "post_workout", "post wo": "post_workout", "meal": "other", "brunch": "other",
    "ate": "other", "eat": "other", "food": "other", "drank": "other", "drink": "other", "dessert": "other",
    "pre workout meal": "pre_workout", "post workout meal": "post_workout",
    "brekfast": "breakfast", "breakfest": "breakfast", "breakfst": "breakfast", "lucnh": "lunch",
    "lnch": "lunch", "luch": "lunch", "diner": "dinner", "dinnr": "dinner", "dinne": "dinner",
    "snak": "snack", "snck": "snack",
})
MEAL_TYPE_WORDS = {
    "breakfast": "breakfast", "lunch": "lunch", "dinner": "dinner", "snack": "snack",
    "pre_workout": "pre workout", "post_workout": "post workout", "other": "meal",
}
"""How render writes each meal_type back (round-trips through MEAL_TYPES)."""

NUTRIENT_KEYWORDS = _compact_keys({
    "calories": "calories", "calorie": "calories", "cal": "calories", "cals": "calories",
    "kcal": "calories", "kcals": "calories",
    "protein": "protein_g", "prot": "protein_g", "pro": "protein_g", "p": "protein_g",
    "carbs": "carbs_g", "carb": "carbs_g", "carbohydrates": "carbs_g", "c": "carbs_g",
    "fat": "fat_g", "fats": "fat_g", "f": "fat_g",
    "fiber": "fiber_g", "fibre": "fiber_g",
    "sugar": "sugar_g", "sugars": "sugar_g",
    "sodium": "sodium_mg", "na": "sodium_mg",
    "water": "water_oz",
})
MACRO_LETTERS = {"p": "protein_g", "c": "carbs_g", "f": "fat_g"}
KCAL_PER_GRAM = {"protein_g": 4, "carbs_g": 4, "fat_g": 9}

ADHERENCE = _compact_keys({
    "on plan": "on_plan", "on track": "on_plan", "on-plan": "on_plan", "clean": "on_plan",
    "mostly on plan": "mostly_on_plan", "mostly on track": "mostly_on_plan", "mostly": "mostly_on_plan",
    "off plan": "off_plan", "off track": "off_plan", "cheat": "off_plan",
    "cheated": "off_plan",
})
ADHERENCE_WORDS = {"on_plan": "on plan", "mostly_on_plan": "mostly on plan", "off_plan": "off plan"}

HUNGER_WORDS = _compact_keys({"hunger": "hunger", "hungry": "hunger", "hunger before": "hunger_before",
                              "hunger after": "hunger_after"})
SATISFACTION_WORDS = _compact_keys({"satisfaction": "satisfaction", "satisfied": "satisfaction",
                                    "satiety": "satisfaction"})
PAIR_SEPARATORS = frozenset({"/", "-", "to", ">", "->", "→"})
TIME_WORDS = {"noon": (12, 0), "midday": (12, 0), "midnight": (0, 0)}
AMBIGUOUS_HOURS = range(1, 12)
"""An hour 1-11 without am/pm ("at 7") could be morning or evening: asked, not guessed."""

# --------------------------------------------------------------------------- dates

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}
RELATIVE_DAYS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "yesterday": -1, "yday": -1, "yest": -1, "the day before yesterday": -2, "day before yesterday": -2,
    "tomorrow": 1, "tmrw": 1, "tmr": 1,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}
DAYS_PER_PERIOD = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7}
STRICTLY_PAST_WEEKDAY = frozenset({"last", "past", "previous"})
"""'last mon' on a Monday is a week ago; a bare 'mon' (or 'this mon', 'on mon') on a Monday is today."""

DATE_ANCHORS = frozenset(set(MONTHS) | set(WEEKDAYS) | {"ago", "fortnight"})
DATE_RELATIVE_PERIODS = frozenset({"week", "month", "year", "weekend"})
DATE_PREFIXES = frozenset({"last", "past", "previous", "next", "this"})
DATE_FILLERS = frozenset({
    "the", "of", "on", "a", "an", ",", "before", "after", "day", "days", "week", "weeks", "month",
    "months", "year", "years", "st", "nd", "rd", "th", "first", "second", "third", "fourth", "fifth",
}) | DATE_PREFIXES | set(NUMBER_WORDS)
"""Words that may surround a date anchor in a phrase handed whole to dateparser."""

# --------------------------------------------------------------------------- notes and small talk

CONNECTORS = frozenset({"and", "then", "also", "plus", "+", "&"})
"""Words between entries ("weight 182 and bf 18"), skipped where an entry may start."""
GREETINGS = frozenset({
    "hi", "hello", "hey", "heya", "hiya", "yo", "sup", "howdy", "morning", "gm", "gn", "thanks", "thank",
    "thx", "ty", "ok", "okay", "k", "kk", "cool", "nice", "bye", "cheers", "lol", "haha", "yes", "no",
    "yep", "nope", "sure", "good", "great", "awesome", "night", "evening", "afternoon", "you", "coach",
    "bot", "there", "all",
})
TITLE_WORDS = frozenset({
    "day", "workout", "session", "training", "routine", "wod", "split", "program", "block", "week",
    "push", "pull", "legs", "leg", "upper", "lower", "chest", "back", "arms", "arm", "shoulders",
    "shoulder", "full", "body", "fullbody", "glutes", "core", "abs", "cardio", "strength", "hypertrophy",
    "power", "rest", "deload", "recovery", "mobility", "conditioning", "hiit", "a", "b", "c", "d", "and",
    "&", "bis", "tris", "biceps", "triceps", "posterior", "anterior", "chain", "gym", "lift", "lifting",
    "heavy", "light", "volume", "max", "test", "testing", "run", "long", "easy", "swim", "bike",
})
TITLE_TAIL_WORDS = frozenset({"day", "workout", "session", "training", "wod", "routine"})
NOTE_WORDS = FUNCTION_WORDS | frozenset({
    "felt", "feel", "feels", "feeling", "tired", "sore", "great", "good", "bad", "awful", "fine", "strong",
    "weak", "easy", "hard", "tough", "heavy", "light", "amazing", "sick", "pumped", "pump", "fun", "grind",
    "slept", "badly", "well", "again", "still", "bit", "kinda", "pretty", "super", "too", "energy",
    "motivated", "lazy", "exhausted", "stressed", "happy", "sad", "hungry", "full", "busy", "skipped",
    "missed", "pr", "pb", "new",
})

EXAMPLES = (
    "weight 182",
    "w 82.5kg",
    "bf 18",
    "body fat 18%",
    "muscle mass 63kg",
    "bmi 24.1",
    "waist 34",
    "arms 15",
    "rhr 58",
    "bp 120/80",
    "mood 8",
    "energy 7",
    "sleep 6",
    "stress 3",
    "note: slept badly",
    "bench 3x5 @ 185",
    "squat 5x5 100kg",
    "deadlift 1x5@140kg rpe 8",
    "bench 185x5, 185x5, 180x6",
    "pullups 3x10",
    "plank 3x60s",
    "ran 3.1 mi in 28:30",
    "run 5k 27:30",
    "bike 45 min",
    "row 2000m 7:45",
    "workout 60 min intensity 8",
    "phase hypertrophy week 3 day 2",
    "breakfast oatmeal 350 kcal 12p 60c 6f",
    "lunch: chicken salad 450cal protein 40 carbs 20 fat 15",
    "snack protein bar 20p 25c 8f",
    "dinner 700 kcal off plan hunger 8/3",
    "post workout shake 40p at 6pm",
    "water 16oz",
    "weight 182 yesterday",
)
"""Shown, closest first, when a message is not understood."""
EXAMPLE_COUNT = 3

# --------------------------------------------------------------------------- rendering entries back to text

RENDER_METRIC = (
    ("weight_lbs", "weight {} lb"),
    ("body_fat_percentage", "bf {}%"),
    ("muscle_mass_lbs", "muscle {} lb"),
    ("bmi", "bmi {}"),
    ("waist_inches", "waist {} in"),
    ("chest_inches", "chest {} in"),
    ("hips_inches", "hips {} in"),
    ("neck_inches", "neck {} in"),
    (("left_arm_inches", "right_arm_inches"), "arms {} in", "left arm {} in", "right arm {} in"),
    (("left_thigh_inches", "right_thigh_inches"), "thighs {} in", "left thigh {} in", "right thigh {} in"),
    (("left_calf_inches", "right_calf_inches"), "calves {} in", "left calf {} in", "right calf {} in"),
    ("resting_heart_rate", "rhr {}"),
    (("blood_pressure_systolic", "blood_pressure_diastolic"), "bp {}/{}"),
    ("energy_level", "energy {}"),
    ("mood", "mood {}"),
    ("sleep_quality", "sleep {}"),
    ("stress_level", "stress {}"),
)
"""Metric columns in reply order with their text; pairs render once when both sides are equal."""

RENDER_WORKOUT = (
    ("duration_minutes", "workout {} min"),
    ("session_type", "type {}"),
    ("intensity", "intensity {}"),
    ("fatigue", "fatigue {}"),
    ("soreness", "soreness {}"),
    ("week_number", "week {}"),
    ("day_number", "day {}"),
    ("program_phase", "phase {}"),
)
RENDER_MEAL_AMOUNTS = (
    ("calories", "{} kcal"),
    ("protein_g", "{}g protein"),
    ("carbs_g", "{}g carbs"),
    ("fat_g", "{}g fat"),
    ("fiber_g", "{}g fiber"),
    ("sugar_g", "{}g sugar"),
    ("sodium_mg", "{}mg sodium"),
    ("water_oz", "water {} oz"),
    ("satisfaction", "satisfaction {}"),
)
NOTE_SEPARATOR = " -- "
