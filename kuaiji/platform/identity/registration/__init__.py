"""Accounts of citizens and enterprise operators on the service front: registration with a
validated identity number (and, for an operator, the enterprise's credit code), sign-in by
phone number, real-name levels and the person's own profile.

- `inputs`: what a person types, checked field by field before anything is written;
- `accounts`: opening an account for a directory record, found or created by identity number;
- `enterprises`: the enterprise an operator acts for, found or created by credit code;
- `services`: the writes (register, update the profile, verify a real name);
- `selectors`: the reads (the masked profile, the regions to live in, who awaits
  verification).
"""
