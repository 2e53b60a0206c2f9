from fitness_core.models import MealLog


def test_macro_calories_and_shares():
    meal = MealLog(protein_g=40, carbs_g=30, fat_g=13.3)
    assert meal.calories_from_protein == 160
    assert meal.calories_from_carbs == 120
    assert meal.calories_from_fat == 119.7
    assert meal.calculated_total_calories == 399.7
    assert meal.protein_percentage == 40.0
    assert meal.carbs_percentage == 30.0
    assert meal.fat_percentage == 29.9
    assert meal.macronutrient_ratio == "40/30/30"


def test_partial_macros():
    meal = MealLog(protein_g=40)
    assert meal.calculated_total_calories == 160
    assert meal.protein_percentage == 100.0
    assert meal.carbs_percentage is None
    assert meal.macronutrient_ratio == "100/0/0"


def test_no_macros():
    meal = MealLog(calories=500)
    assert meal.calculated_total_calories is None
    assert meal.protein_percentage is None
    assert meal.macronutrient_ratio is None
    assert MealLog(protein_g=0, carbs_g=0, fat_g=0).protein_percentage is None
