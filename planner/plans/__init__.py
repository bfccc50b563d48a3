"""Weekly meal plans: profile profiles, the plan generator and the plan's faces."""
