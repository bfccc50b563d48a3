"""Weekly meal plans: household profiles, the plan generator and the plan's faces."""
