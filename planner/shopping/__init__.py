"""The shopping list: a plan's ingredients summed, rounded up to what a shop sells, grouped by aisle."""
