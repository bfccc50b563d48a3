"""SQLAlchemy models, one module per domain."""
from planner.models.account import ApiToken, Household, Invite, LoginAttempt, User
from planner.models.food import Food, Tag, food_tag
from planner.models.plan import HouseholdProfile, Plan, PlanSlot
from planner.models.recipe import Recipe, RecipeIngredient
from planner.models.shopping import ShoppingExtra, ShoppingMark

__all__ = ["ApiToken", "Food", "Household", "Invite", "LoginAttempt", "User", "HouseholdProfile", "Plan", "PlanSlot", "Recipe", "RecipeIngredient", "ShoppingExtra", "ShoppingMark", "Tag", "food_tag"]
