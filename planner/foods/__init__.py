"""The food database: records, validation, derived tags and search."""
