"""SQLAlchemy models, one module per domain."""
from planner.models.food import Food, Tag, food_tag
from planner.models.plan import HouseholdProfile, Plan, PlanSlot
from planner.models.recipe import Recipe, RecipeIngredient
from planner.models.shopping import ShoppingExtra, ShoppingMark

__all__ = ["Food", "HouseholdProfile", "Plan", "PlanSlot", "Recipe", "RecipeIngredient", "ShoppingExtra", "ShoppingMark", "Tag", "food_tag"]
