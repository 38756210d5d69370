"""`techbridge generate-scale`: a large synthetic data set for benchmarks, inserted in bulk."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from techbridge.demo.scale import generate_scale


class Command(BaseCommand):
    help = (
        "Add synthetic organisations and postings (trilingual texts per sector) with bulk inserts; "
        "the same seed gives the same data. Rebuild the matching index afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=20000)
        parser.add_argument("--postings", type=int, default=100000)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, organisations, postings, seed, batch_size, **options):
        if min(organisations, postings) < 0 or batch_size < 1:
            raise CommandError("Counts cannot be negative and the batch size must be positive.")
        try:
            result = generate_scale(
                organisations=organisations,
                postings=postings,
                seed=seed,
                batch_size=batch_size,
                progress=self.progress if options["verbosity"] > 1 else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # Fresh planner statistics for the bulk-loaded tables: without them PostgreSQL expects thousands of rows
        # from a lookup of a few postings' sectors and plans it in parallel (6-30 ms instead of well under 1).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for table, rows in result.rows.items():
            self.stdout.write(f"{rows:>10,} {table}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.total:,} rows in {result.seconds:.1f} s: {result.rows_per_second:,.0f} rows/s"
            )
        )

    def progress(self, table: str, rows: int) -> None:
        self.stdout.write(f"  {rows:,} {table}")
