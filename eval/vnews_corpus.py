"""The VietNews evaluation corpus, materialised from ``../shared`` (it is never committed).

    python -m eval.vnews_corpus [--set eval/vnews_dev] [--out .cache/vnews_dev/corpus]

writes one ``vn_<id>.txt`` per article listed in the set's ``articles.json`` (VietNews id → the
publication date the set's writers gave it), laid out like the seeds. Then:

    vnqa eval --gold eval/vnews_dev/dev.jsonl  --corpus .cache/vnews_dev/corpus --index .cache/vnews_dev/index
    vnqa eval --gold eval/vnews_dev/test.jsonl --corpus .cache/vnews_dev/corpus --index .cache/vnews_dev/index

and for the second test set (``--set eval/vnews_test2``, corpus in ``.cache/vnews_test2/corpus``):

    vnqa eval --gold eval/vnews_test2/test.jsonl --corpus .cache/vnews_test2/corpus --index .cache/vnews_test2/index

and the same for the third (``--set eval/vnews_test3``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qa.ingest.vietnews import VIETNEWS_TEST, write_corpus

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "eval" / "vnews_dev"
DEFAULT_OUT = ROOT / ".cache" / "vnews_dev" / "corpus"


def article_dates(articles: Path = SET_DIR / "articles.json") -> dict[str, str]:
    """VietNews id (without ``vn_``) → ISO publication date, from a set's articles file."""
    raw = json.loads(articles.read_text(encoding="utf-8"))
    return {k.removeprefix("vn_"): v for k, v in raw.items()}


def materialise(out: Path = DEFAULT_OUT, vietnews: Path = VIETNEWS_TEST, set_dir: Path = SET_DIR,
                articles: Path | None = None) -> list[Path]:
    """Write the corpus folder of the set in ``set_dir`` (its ``articles.json``), or of the articles
    file ``articles`` (``eval/vnews_multi/MA_articles.json``): idempotent, same files, same bytes."""
    from qa.ingest.vietnews import read_vietnews

    return write_corpus(article_dates(articles or set_dir / "articles.json"), out, read_vietnews(vietnews))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.vnews_corpus", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=SET_DIR, dest="set_dir",
                    help="the set's folder, holding articles.json (default eval/vnews_dev)")
    ap.add_argument("--out", type=Path, help="corpus folder (default .cache/<set folder name>/corpus)")
    ap.add_argument("--vietnews", type=Path, default=VIETNEWS_TEST)
    args = ap.parse_args(argv)
    if not args.vietnews.is_file():
        print(f"eval.vnews_corpus: VietNews not found at {args.vietnews}", file=sys.stderr)
        return 1
    out = args.out or ROOT / ".cache" / args.set_dir.resolve().name / "corpus"
    paths = materialise(out, args.vietnews, args.set_dir)
    print(f"wrote {len(paths)} articles to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
