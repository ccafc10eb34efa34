"""The cockpit's office screen: issuing directives and following their delivery and feedback."""
