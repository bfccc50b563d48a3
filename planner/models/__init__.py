"""SQLAlchemy models, one module per domain."""
from planner.models.catalog import SHARED, CatalogVersion
from planner.models.account import (ApiToken, EmailCode, Household, Invite, LoginAttempt, LoginLockout,
                                    SecurityEvent, User, UserSession)
from planner.models.food import Food, Tag, food_tag
from planner.models.plan import Profile, Plan, PlanSlot, Rating
from planner.models.product import ProductCache
from planner.models.diary import DiaryEntry, FoodTest
from planner.models.recipe import Recipe, RecipeImage, RecipeIngredient
from planner.models.shopping import ShoppingExtra, ShoppingMark
from planner.models.usage import Lease, UsageCount

# Ids are INTEGER columns: 32-bit on PostgreSQL, so no row has a larger id.
MAX_ID = 2**31 - 1

__all__ = ["MAX_ID", "SHARED", "ApiToken", "CatalogVersion", "DiaryEntry", "EmailCode", "Food", "FoodTest", "Household",
           "Profile", "Invite", "Lease", "LoginAttempt", "LoginLockout", "SecurityEvent", "UserSession", "Plan",
           "PlanSlot", "ProductCache", "Rating", "Recipe", "RecipeImage", "RecipeIngredient", "ShoppingExtra",
           "ShoppingMark", "Tag", "UsageCount", "User", "food_tag"]
