"""The signed-in staff member's inbox in the work front."""
