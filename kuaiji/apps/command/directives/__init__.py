"""Directives (政令 "一键智达"): issuing to departments, regions and roles, the inbox with read
receipts, reminders for the unread, feedback and its consolidation, statistics."""
