"""Work-front screens of the directives scene."""
