"""Checking the audit chain: every entry's hash, its link to the one before, and the head."""

from __future__ import annotations

from dataclasses import dataclass

from kuaiji.platform.audit.models import GENESIS, AuditChainHead, AuditEntry


@dataclass(frozen=True)
class Verdict:
    """The outcome of a verification: `problem` names the first entry that fails."""

    checked: int
    problem: str = ""
    sequence: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem


def verify_chain() -> Verdict:
    """Walk the whole chain in order and report the first entry changed, removed or inserted."""
    expected_sequence, previous, checked = 1, GENESIS, 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return Verdict(checked, f"entry #{expected_sequence} was removed", expected_sequence)
        if entry.previous_hash != previous:
            return Verdict(
                checked,
                f"entry #{entry.sequence} does not follow the entry before it "
                "(an entry was removed or inserted before it)",
                entry.sequence,
            )
        if entry.compute_hash() != entry.hash:
            return Verdict(
                checked, f"entry #{entry.sequence} was changed or forged", entry.sequence
            )
        previous, expected_sequence, checked = entry.hash, expected_sequence + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last = expected_sequence - 1
    if head is not None and head.sequence > last:
        return Verdict(checked, f"entry #{last + 1} and after were removed", last + 1)
    if head is not None and (head.sequence, head.hash) != (last, previous):
        return Verdict(checked, f"entry #{head.sequence + 1} was inserted", head.sequence + 1)
    return Verdict(checked)
