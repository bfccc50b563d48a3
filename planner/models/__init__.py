"""SQLAlchemy models, one module per domain."""
from planner.models.food import Food, Tag, food_tag

__all__ = ["Food", "Tag", "food_tag"]
