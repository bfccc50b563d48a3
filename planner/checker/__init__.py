"""The food checker: a verdict with reasons for a food name or an ingredient label."""
