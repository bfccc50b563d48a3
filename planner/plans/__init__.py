"""Weekly meal plans: eating profiles, the plan generator and the plan's faces."""
