"""`techbridge schedule-meetings INSTANCE.json`: schedule a B2B event from a `techbridge-b2b/1` file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from techbridge.events.scheduling import InstanceError, solve, verify


def _read(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"cannot read {path}: {error}") from error


class Command(BaseCommand):
    help = "Assign B2B meetings to slots and tables, then print the schedule and check it independently."

    def add_arguments(self, parser):
        parser.add_argument("instance", help="instance file in the techbridge-b2b/1 format")
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
        parser.add_argument("--previous", help="published schedule to keep meetings in place where possible")
        parser.add_argument("--json", action="store_true", help="print the schedule as JSON")

    def handle(self, *args, **options):
        data = _read(options["instance"])
        previous = _read(options["previous"]) if options["previous"] else None
        try:
            schedule = solve(data, time_limit=options["time_limit"], previous=previous)
        except (InstanceError, KeyError, TypeError) as error:
            raise CommandError(f"invalid instance: {error}") from error
        violations = verify(data, schedule) if schedule["status"] in ("OPTIMAL", "FEASIBLE") else []
        if options["json"]:
            self.stdout.write(json.dumps(schedule, indent=2))
        else:
            self.stdout.write(self._summary(data, schedule))
        if violations:
            raise CommandError("the schedule breaks the instance's rules:\n" + "\n".join(violations))

    @staticmethod
    def _summary(data: dict, schedule: dict) -> str:
        lines = [
            f"{data.get('name', '')}: {schedule['status']} in {schedule['wall_time_s']} s",
            f"meetings scheduled {len(schedule['scheduled'])} of {len(data['meetings'])}, "
            f"weight {schedule['total_weight']} (upper bound {schedule['weight_bound']})",
            f"breaks {schedule['total_breaks']}, proven bound {schedule['bound']}, gap {schedule['gap']}",
        ]
        by_slot: dict[int, list[str]] = {}
        for entry in schedule["scheduled"]:
            by_slot.setdefault(entry["slot"], []).append(f"{entry['table']}:{entry['meeting']}")
        lines += [f"slot {slot}: " + " ".join(by_slot[slot]) for slot in sorted(by_slot)]
        return "\n".join(lines)
