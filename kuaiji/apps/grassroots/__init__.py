"""Grassroots governance (the "141" system): grid events in a closed loop from report to
rating."""
