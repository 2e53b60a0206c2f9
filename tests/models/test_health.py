import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from fitness_core.models import HealthMetric

DAY = dt.date(2026, 11, 20)


def test_seed_document_example():
    metric = HealthMetric(weight_lbs=200, body_fat_percentage=20)
    assert metric.lean_body_mass_lbs == 160
    assert metric.fat_mass_lbs == 40


def test_body_composition_needs_both_values():
    assert HealthMetric(weight_lbs=180).lean_body_mass_lbs is None
    assert HealthMetric(body_fat_percentage=18).fat_mass_lbs is None
    assert HealthMetric(weight_lbs=182.4, body_fat_percentage=18.5).fat_mass_lbs == 33.74


def test_blood_pressure_formatted():
    assert HealthMetric(blood_pressure_systolic=120, blood_pressure_diastolic=80).blood_pressure_formatted == "120/80"
    assert HealthMetric(blood_pressure_systolic=120).blood_pressure_formatted is None


def test_one_row_per_person_per_day(db, make_user):
    user = make_user()
    db.add(HealthMetric(user_id=user.id, recorded_date=DAY, weight_lbs=180))
    db.flush()
    with pytest.raises(IntegrityError, match="uq_health_metrics_user_id_recorded_date"):
        with db.begin_nested():
            db.add(HealthMetric(user_id=user.id, recorded_date=DAY, weight_lbs=181))
            db.flush()
    other = make_user()
    db.add(HealthMetric(user_id=other.id, recorded_date=DAY, weight_lbs=150))
    db.flush()


def test_values_read_back_exactly(db, make_user):
    user = make_user()
    metric = HealthMetric(user_id=user.id, recorded_date=DAY, weight_lbs=182.4, waist_inches=33.86, bmi=24.1)
    db.add(metric)
    db.flush()
    db.expire(metric)
    assert (metric.weight_lbs, metric.waist_inches, metric.bmi) == (182.4, 33.86, 24.1)
    assert metric.to_dict()["lean_body_mass_lbs"] is None
