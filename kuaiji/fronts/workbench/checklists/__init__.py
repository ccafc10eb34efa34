"""Work-front screens of the checklists scene."""
