"""Work-front screens of the supervision scene."""
