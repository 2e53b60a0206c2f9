"""Throughput of parse_message on a realistic corpus.

Builds a deterministic corpus (seeded random) of at least 10,000 messages in
the proportions people log (metrics, lifts, cardio, meals, a few notes and
several-entry messages; about one in ten with a date phrase), parses each once
to warm the caches that real use warms too (resolver, dateparser for rare
phrases), then times each parse with perf_counter_ns and prints messages per
second and the p50/p99 per message.

Reproduce: .venv/bin/python bench/parse_bench.py [--messages N] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fitness_core.parsing import default_resolver, parse_message  # noqa: E402
from fitness_core.units import UnitSystem  # noqa: E402

TODAY = dt.date(2026, 11, 25)
LIFTS = ["bench", "squat", "deadlift", "ohp", "rows", "pullups", "dips", "curls", "lat pulldown", "leg press",
         "rdl", "incline bench", "hip thrust", "lunges", "face pulls", "Bench press", "squats", "pull ups",
         "skull crushers", "leg curl", "zercher squat", "bnech", "deadlfit"]
BODYWEIGHT = ["pullups", "pushups", "dips", "chin ups", "situps"]
CARDIO = [("ran", "mi"), ("run", "k"), ("bike", "mi"), ("row", "m"), ("walked", "miles"), ("swim", "m")]
FOODS = ["oatmeal", "chicken salad", "protein bar", "eggs and toast", "rice and beans", "steak", "greek yogurt",
         "pasta", "burrito", "shake", "banana", "sandwich"]
MEALS = ["breakfast", "lunch", "dinner", "snack", "post workout", "Lunch:", "dinner -"]
DATES = ["yesterday", "2 days ago", "last friday", "mon", "nov 3", "3 nov", "2026-11-20", "on tuesday",
         "this morning", "a week ago", "the day before yesterday", "last week"]
NOTES = ["Push day!", "leg day", "felt great today", "hello", "thanks!", "tired today", "upper A"]


def _metric(rng: random.Random) -> str:
    return rng.choice([
        f"weight {rng.uniform(150, 220):.1f}",
        f"w {rng.uniform(60, 100):.1f}kg",
        f"bf {rng.randint(10, 30)}%",
        f"waist {rng.randint(28, 42)}",
        f"bp {rng.randint(105, 140)}/{rng.randint(65, 90)}",
        f"rhr {rng.randint(48, 75)}",
        f"mood {rng.randint(1, 10)} energy {rng.randint(1, 10)} sleep {rng.randint(1, 10)}",
        f"arms {rng.uniform(12, 17):.1f}",
        f"{rng.randint(150, 220)}",
        "note: slept badly",
    ])


def _lift(rng: random.Random) -> str:
    name = rng.choice(LIFTS)
    weight = rng.choice(range(45, 405, 5))
    return rng.choice([
        f"{name} {rng.randint(1, 5)}x{rng.randint(1, 12)} @ {weight}",
        f"{name} {rng.randint(1, 5)}x{rng.randint(1, 12)} {rng.randint(20, 180)}kg",
        f"{name} {weight}x{rng.randint(1, 10)}, {weight}x{rng.randint(1, 10)}, {weight - 10}x{rng.randint(1, 10)}",
        f"{name}: {rng.randint(3, 5)} sets of {rng.randint(5, 12)} at {weight} lbs rpe {rng.randint(6, 10)}",
        f"{rng.randint(2, 5)}x{rng.randint(5, 10)} {name} {weight}",
        f"{rng.choice(BODYWEIGHT)} {rng.randint(2, 5)}x{rng.randint(5, 20)}",
        f"{rng.choice(BODYWEIGHT)} {rng.randint(10, 50)}",
        f"plank 3x{rng.choice([30, 45, 60, 90])}s",
    ])


def _cardio(rng: random.Random) -> str:
    verb, unit = rng.choice(CARDIO)
    distance = rng.randint(200, 5000) if unit == "m" else round(rng.uniform(1, 10), 1)
    minutes, seconds = rng.randint(8, 70), rng.randint(0, 59)
    return rng.choice([
        f"{verb} {distance}{unit} {minutes}:{seconds:02d}",
        f"{verb} {distance} {unit} in {minutes}:{seconds:02d}",
        f"{verb} {minutes} min",
        f"workout {rng.randint(30, 120)} min intensity {rng.randint(1, 10)}",
    ])


def _meal(rng: random.Random) -> str:
    meal, food = rng.choice(MEALS), rng.choice(FOODS)
    return rng.choice([
        f"{meal} {food} {rng.randint(150, 1200)} kcal {rng.randint(5, 60)}p {rng.randint(5, 120)}c "
        f"{rng.randint(1, 40)}f",
        f"{meal} {food} {rng.randint(150, 1200)}cal protein {rng.randint(5, 60)}",
        f"{meal} {food} {rng.randint(5, 60)}p {rng.randint(5, 120)}c {rng.randint(1, 40)}f at {rng.randint(1, 11)}pm",
        f"water {rng.choice([8, 12, 16, 20, 32])}oz",
        f"water {rng.choice([250, 500, 750])}ml",
        f"{meal} {food} off plan hunger {rng.randint(1, 10)}/{rng.randint(1, 10)}",
    ])


def build_corpus(count: int, seed: int) -> list[tuple[str, UnitSystem]]:
    rng = random.Random(seed)
    kinds = [_metric] * 3 + [_lift] * 4 + [_cardio] * 2 + [_meal] * 3
    corpus = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.04:
            text = rng.choice(NOTES)
        elif roll < 0.12:
            text = "\n".join(rng.choice(kinds)(rng) for _ in range(rng.randint(2, 4)))
        else:
            text = rng.choice(kinds)(rng)
        if rng.random() < 0.1:
            date = rng.choice(DATES)
            text = f"{date} {text}" if rng.random() < 0.5 else f"{text} {date}"
        corpus.append((text, UnitSystem.METRIC if rng.random() < 0.2 else UnitSystem.IMPERIAL))
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = build_corpus(max(args.messages, 10_000), args.seed)
    resolver = default_resolver()
    for text, units in corpus:  # warm-up pass, as a running bot would be
        parse_message(text, today=TODAY, units=units, resolver=resolver)
    timings = []
    started = time.perf_counter_ns()
    for text, units in corpus:
        before = time.perf_counter_ns()
        parse_message(text, today=TODAY, units=units, resolver=resolver)
        timings.append(time.perf_counter_ns() - before)
    total = time.perf_counter_ns() - started
    timings.sort()
    dated = sum(any(date in text for date in DATES) for text, _ in corpus)
    print(f"messages:        {len(corpus)} ({dated} with a date phrase)")
    print(f"messages/second: {len(corpus) / (total / 1e9):,.0f}")
    print(f"p50 per message: {statistics.median(timings) / 1000:.1f} us")
    print(f"p99 per message: {timings[int(len(timings) * 0.99)] / 1000:.1f} us")
    print(f"reproduce:       .venv/bin/python bench/parse_bench.py --messages {args.messages} --seed {args.seed}")


if __name__ == "__main__":
    main()
