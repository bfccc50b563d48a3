"""SQLAlchemy models, one module per domain."""
from planner.models.catalog import SHARED, CatalogVersion
from planner.models.account import ApiToken, Household, Invite, LoginAttempt, User
from planner.models.food import Food, Tag, food_tag
from planner.models.plan import Profile, Plan, PlanSlot
from planner.models.recipe import Recipe, RecipeIngredient
from planner.models.shopping import ShoppingExtra, ShoppingMark

# Ids are INTEGER columns: 32-bit on PostgreSQL, so no row has a larger id.
MAX_ID = 2**31 - 1

__all__ = ["MAX_ID", "SHARED", "ApiToken", "CatalogVersion", "Food", "Household", "Profile", "Invite", "LoginAttempt",
           "Plan", "PlanSlot", "Recipe", "RecipeIngredient", "ShoppingExtra", "ShoppingMark", "Tag", "User", "food_tag"]
