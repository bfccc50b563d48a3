"""The food and symptom diary: entries, and the statistics that find suspects worth testing."""
