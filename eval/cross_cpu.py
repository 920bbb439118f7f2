"""Does the shipped int8 encoder give the same vectors on an x86 CPU without VNNI? (a measurement)

    python -m eval.cross_cpu [--sentences 40] [--cpu Haswell] [--out DIR]

Why: onnxruntime's int8 matrix products are exact on CPUs with VNNI (AVX512-VNNI, AVX-VNNI), but
without it (AVX2) they sum pairs of uint8 × int8 products in 16 bits, which saturate with 8-bit
weights. The export therefore uses 7-bit weights (``reduce_range=True``, see
``qa.index.onnx_encoder``), which cannot saturate. The fp32 kernels around the int8 products
(layer norm, GELU, softmax, the activations' quantisation scale) still differ in the last bits
between AVX2 and AVX-512, and now and then such a bit moves a value across a quantisation step,
so the vectors are close, not identical. A retrained or re-exported model should be re-checked.

How: N sentences are taken from the seed articles (``seeds/``, the project's own loading and
sentence splitting), evenly across the articles and evenly within each, and encoded with
``OnnxEncoder(threads=1).encode_passages`` (its default batch size 1: one text per model run,
as at run time) on this CPU, then again by this module run under ``qemu-x86_64 -cpu CPU``
(user-mode emulation, ~90× slower: a few minutes for 40 sentences). Both runs record which
SIMD features numpy's CPUID probe found, so the report shows the emulated CPU had no AVX-512 or
VNNI. Needs ``qemu-x86_64`` (Debian/Ubuntu: ``apt-get install qemu-user``).

The printed row: max |a − b| over all components, the median over sentences of each vector's
max |a − b|, the lowest cosine between a sentence's two vectors, and for how many sentences the
nearest other sentence is the same in both runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QEMU = "qemu-x86_64"
# features qemu's TCG cannot emulate for the Haswell model: dropped to silence its warnings
QUIET = ",-pcid,-x2apic,-tsc-deadline,-hle,-invpcid,-rtm"
FEATURES = ("AVX2", "FMA3", "AVX512F", "AVX512BW", "AVX512VNNI")  # numpy's names
MIN_CHARS = 20  # skips fragments such as a lone "2" the splitter leaves


def pick_sentences(n: int, corpus: Path = ROOT / "seeds") -> list[str]:
    """``n`` sentences: an equal share from every article (the first ones get one more when ``n``
    does not divide), spaced evenly through each article's sentences."""
    from qa.ingest.documents import load_corpus
    from qa.ingest.segment import sentences_in_spans

    docs = load_corpus(corpus)
    out = []
    for k, doc in enumerate(docs):
        sents = [doc.text[s:e] for s, e in sentences_in_spans(doc.text, doc.content_spans)]
        sents = [s for s in sents if len(s) >= MIN_CHARS]
        quota = min(n // len(docs) + (k < n % len(docs)), len(sents))
        out += [sents[j * len(sents) // quota] for j in range(quota)]
    return out


def simd_features() -> dict[str, bool]:
    """What numpy's CPUID probe found in this process (under qemu-user: the emulated CPU)."""
    from numpy._core._multiarray_umath import __cpu_features__

    return {f: bool(__cpu_features__.get(f)) for f in FEATURES}


def encode(texts: list[str], out: Path) -> None:
    """Encode ``texts`` with the shipped encoder and save vectors, texts and CPU facts to ``out``."""
    from qa.index.onnx_encoder import OnnxEncoder

    t0 = time.perf_counter()
    enc = OnnxEncoder(threads=1, log=lambda *a: None)
    vectors = enc.encode_passages(texts)
    facts = {"features": simd_features(), "seconds": round(time.perf_counter() - t0, 1),
             "fingerprint": enc.fingerprint, "quantize": enc.manifest["recipe"]["quantize"]}
    np.savez(out, vectors=vectors, texts=np.array(texts), facts=json.dumps(facts))


def compare(a: np.ndarray, b: np.ndarray) -> dict[str, float | int]:
    """The same sentences' vectors from two runs (rows in the same order), compared."""
    if a.shape != b.shape or a.ndim != 2 or len(a) < 2:
        raise ValueError(f"need two equal (n ≥ 2, dim) arrays, got {a.shape} and {b.shape}")
    a, b = a.astype(np.float64), b.astype(np.float64)
    per_vector = np.abs(a - b).max(axis=1)
    cosine = (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)

    def nearest(x: np.ndarray) -> np.ndarray:
        x = x / np.linalg.norm(x, axis=1, keepdims=True)
        sims = x @ x.T
        np.fill_diagonal(sims, -np.inf)
        return sims.argmax(axis=1)

    return {"max_abs_diff": float(per_vector.max()), "median_vector_max_diff": float(np.median(per_vector)),
            "min_cosine": float(cosine.min()), "nearest_neighbour_same": int((nearest(a) == nearest(b)).sum()),
            "n": len(a)}


def _yes_no(features: dict[str, bool]) -> str:
    return ", ".join(f"{k} {'yes' if v else 'no'}" for k, v in features.items())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.cross_cpu", description=__doc__.split("\n\n")[0])
    p.add_argument("--sentences", type=int, default=40)
    p.add_argument("--cpu", default="Haswell",
                   help=f"qemu CPU model; a bare name gets '{QUIET}' appended (default Haswell: AVX2, no AVX-512)")
    p.add_argument("--out", type=Path, default=None, help="folder for the two .npz files (default: a new temp folder)")
    p.add_argument("--encode-only", type=Path, help=argparse.SUPPRESS)  # the emulated half: OUT.npz
    p.add_argument("--texts-from", type=Path, help=argparse.SUPPRESS)  # … encoding the texts of this .npz
    args = p.parse_args(argv)
    if args.encode_only:
        encode([str(t) for t in np.load(args.texts_from)["texts"]], args.encode_only)
        return 0
    if args.sentences < 2:
        p.error("--sentences must be at least 2 (nearest neighbours need another sentence)")
    qemu = shutil.which(QEMU)
    if qemu is None:
        print(f"cross_cpu: {QEMU} not found on PATH; install QEMU user-mode emulation "
              "(Debian/Ubuntu: apt-get install qemu-user) and run again", file=sys.stderr)
        return 2

    import onnxruntime

    from qa.index.onnx_encoder import cpu_flags, int8_arithmetic

    out = args.out or Path(tempfile.mkdtemp(prefix="cross_cpu-"))
    out.mkdir(parents=True, exist_ok=True)
    native, emulated = out / "native.npz", out / "emulated.npz"
    encode(pick_sentences(args.sentences), native)
    cpu = args.cpu if "," in args.cpu else args.cpu + QUIET
    print(f"cross_cpu: native vectors in {native}; encoding again under {QEMU} -cpu {cpu} "
          f"(minutes)", file=sys.stderr, flush=True)
    cmd = [qemu, "-cpu", cpu, sys.executable, "-m", "eval.cross_cpu",
           "--encode-only", str(emulated), "--texts-from", str(native)]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    if (rc := subprocess.run(cmd, cwd=ROOT, env=env).returncode) != 0:
        print(f"cross_cpu: the emulated run failed (exit {rc}): {' '.join(cmd)}", file=sys.stderr)
        return 1

    host = int8_arithmetic(cpu_flags())
    a, b = np.load(native), np.load(emulated)
    fa, fb = json.loads(str(a["facts"])), json.loads(str(b["facts"]))
    r = compare(a["vectors"], b["vectors"])
    print("| CPUs | sentences | max abs diff | median per-vector max diff | min cosine | nearest neighbour same |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(f"| native ({host}) vs qemu {args.cpu} | {r['n']} | {r['max_abs_diff']:.2g} | "
          f"{r['median_vector_max_diff']:.2g} | {r['min_cosine']:.4f} | "
          f"{r['nearest_neighbour_same']}/{r['n']} |")
    print(f"export: {fa['quantize']}; onnxruntime {onnxruntime.__version__}; "
          f"host int8 arithmetic: {host}")
    print(f"native CPU (numpy CPUID): {_yes_no(fa['features'])}; {fa['seconds']} s")
    print(f"emulated CPU (numpy CPUID): {_yes_no(fb['features'])}; {fb['seconds']} s")
    if fa["fingerprint"] != fb["fingerprint"]:
        print("warning: the two runs used different exports or onnxruntime versions")
    if fb["features"]["AVX512F"] or fb["features"]["AVX512VNNI"]:
        print("warning: the emulated CPU has AVX-512 or VNNI: pick a --cpu model without them")
    print(f"vectors: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
