"""Recipes: curated whole-food dishes whose nutrients, tags and plants come from their ingredients."""
