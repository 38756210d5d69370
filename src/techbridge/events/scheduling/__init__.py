"""B2B meeting scheduling on plain data (format `techbridge-b2b/1`): no Django, no ORM."""

from .problem import InstanceError
from .solver import solve
from .verify import participant_breaks, verify

__all__ = ["InstanceError", "participant_breaks", "solve", "verify"]
