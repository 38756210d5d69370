from pathlib import Path

from django.core.management.base import BaseCommand

from techbridge.directory.taxonomy import SECTORS_FILE, load_sectors


class Command(BaseCommand):
    help = (
        "Bring the sector taxonomy in line with directory/data/sectors.json (codes in use are never deleted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=SECTORS_FILE, help="taxonomy JSON file")

    def handle(self, *args, file: Path, **options):
        changed = load_sectors(path=file)
        self.stdout.write(f"{changed} sector(s) created, updated or removed.")
