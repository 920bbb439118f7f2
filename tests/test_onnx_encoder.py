"""The int8 ONNX encoder against the fp32 torch Embedder, on real seed sentences.

No mocks for the model: ``onnx_encoder`` exports the bundled e5-small into the default cache
(once, ~1.5 min; then verified by checksum and reused) and runs it with onnxruntime. Only the
export-atomicity tests replace the 1.5-minute export with a copy of the real exported files, to
exercise the lock / temp folder / rename / manifest machinery on a throwaway cache.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import qa.index.onnx_encoder as onnx_encoder
from qa.index.e5_convert import ensure_model
from qa.index.embedder import Embedder, make_embedder
from qa.index.onnx_encoder import MANIFEST, OnnxEncoder, ensure_onnx, onnx_dir_for

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
QUERIES = [
    "bao nhiêu tài khoản VNeID đã được cấp?",
    "bao nhieu tai khoan VNeID?",  # unaccented, as users type
    "tỷ lệ hộ gia đình sử dụng cáp quang là bao nhiêu",
    "Ủy ban Quốc gia về chuyển đổi số họp phiên thứ mấy?",
    "doanh thu công nghiệp ICT 6 tháng",
    "Nghị định 82/2024/NĐ-CP sửa đổi nghị định nào?",
]


def seed_sentences(n: int = 50) -> list[str]:
    """``n`` sentences spread over the seed files (split on ". ")."""
    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in sorted(SEEDS.glob("*.txt")))
    parts = text.split(". ")
    parts = [s for s in parts if 20 <= len(s) <= 600]
    step = len(parts) / n
    return [parts[int(i * step)] for i in range(n)]


@pytest.fixture(scope="module")
def onnx_enc():
    return OnnxEncoder()


@pytest.fixture(scope="module")
def sentences():
    s = seed_sentences(50)
    assert len(set(s)) == 50
    return s


# ---------------------------------------------------------------------------- vectors
@pytest.mark.parametrize("kind", ["queries", "passages"])
def test_vectors_match_torch_fp32(embedder, onnx_enc, sentences, kind):
    texts = sentences + QUERIES
    ours = getattr(onnx_enc, f"encode_{kind}")(texts)
    theirs = getattr(embedder, f"encode_{kind}")(texts)
    assert ours.dtype == np.float32 and ours.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    cos = (ours * theirs).sum(axis=1)
    print(f"{kind}: cosine onnx int8 vs torch fp32 over {len(texts)} texts: "
          f"min {cos.min():.5f} mean {cos.mean():.5f}")
    assert cos.min() >= 0.99, sorted(zip(cos, texts))[:3]


def test_token_ids_match_sentence_transformers(embedder, onnx_enc, sentences):
    long_text = " ".join(sentences) * 2
    texts = ["passage: " + t for t in sentences[:10] + ["", "  hai  dấu cách ", long_text]]
    st = embedder._model.tokenizer(texts, truncation=True, max_length=embedder.max_seq_length)["input_ids"]
    assert onnx_enc._ids(texts) == st
    # one text at a time takes the tokenizer's single call (it keeps the GIL): the same ids
    assert [onnx_enc._ids([t])[0] for t in texts] == st
    assert onnx_enc.max_seq_length == embedder.max_seq_length == 512
    for t in texts:
        assert onnx_enc.count_tokens(t) == embedder.count_tokens(t)


def test_order_preserved_and_independent_of_batching(onnx_enc, sentences, monkeypatch):
    texts = sentences[:16]
    batch = onnx_enc.encode_passages(texts)
    single = np.stack([onnx_enc.encode_passages([t])[0] for t in texts])
    np.testing.assert_allclose(batch, single, atol=1e-4)  # default: one text per run
    reverse = onnx_enc.encode_passages(texts[::-1])
    np.testing.assert_allclose(reverse[::-1], batch, atol=1e-4)

    # Opt-in real batches (sorted by length, padded): order is still restored, but dynamic int8
    # scales are taken over the whole batch, so vectors move slightly with their batch-mates.
    monkeypatch.setattr(onnx_enc, "batch_size", 16)
    batched = onnx_enc.encode_passages(texts)
    drift = np.abs(batched - single).max()
    cos = (batched * single).sum(axis=1)
    print(f"batch of 16 vs one at a time: max |diff| {drift:.4f}, min cosine {cos.min():.5f}")
    assert cos.min() >= 0.99  # the same text everywhere, not a shuffled row


def test_empty_and_over_long_inputs(embedder, onnx_enc, sentences):
    long_text = " ".join(sentences)
    assert onnx_enc.count_tokens("passage: " + long_text) > 2 * onnx_enc.max_seq_length
    ours = onnx_enc.encode_passages(["", long_text, "x"])
    theirs = embedder.encode_passages(["", long_text, "x"])
    assert np.isfinite(ours).all()
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, rtol=1e-5)
    assert ((ours * theirs).sum(axis=1) >= 0.99).all()
    assert onnx_enc.encode_queries([""]).shape == (1, 384)
    assert onnx_enc.encode_queries([]).shape == (0, 384)
    assert onnx_enc.encode_passages([]).dtype == np.float32


def test_retrieval_sanity(onnx_enc):
    q = onnx_enc.encode_queries(["bao nhiêu tài khoản VNeID?"])[0]
    p = onnx_enc.encode_passages(["hơn 75,7 triệu tài khoản VNeID đã được cấp",
                                  "Giá vàng hôm nay tăng mạnh trên thị trường thế giới."])
    assert p[0] @ q > p[1] @ q + 0.05


# ---------------------------------------------------------------------------- identity
def test_fingerprint_differs_from_torch_and_is_stable(embedder, onnx_enc):
    again = OnnxEncoder(threads=1)
    assert onnx_enc.fingerprint == again.fingerprint
    assert onnx_enc.fingerprint != embedder.fingerprint
    assert len(onnx_enc.fingerprint) == 64 and int(onnx_enc.fingerprint, 16) >= 0
    assert onnx_enc.name != embedder.name and "e5-small" in onnx_enc.name and "onnx" in onnx_enc.name
    assert onnx_enc.dim == embedder.dim == 384
    assert again.threads == 1 and again._session.get_providers() == ["CPUExecutionProvider"]


def test_export_folder_and_manifest(onnx_enc):
    st = ensure_model()
    folder = ensure_onnx(st)
    assert folder == onnx_enc.path == onnx_dir_for(st)
    assert folder.parent == st.parent.parent and folder.name == st.parent.name + "-onnx-int8"
    manifest = json.loads((folder / MANIFEST).read_text())
    assert sorted(p.name for p in folder.iterdir()) == sorted(["model.onnx", "tokenizer.json", MANIFEST])
    record = json.loads((st.parent / "vnqa_conversion.json").read_text())
    assert manifest["source_weights_sha256"] == record["weights_sha256"]
    assert manifest["onnx_sha256"] == onnx_encoder.sha256_file(folder / "model.onnx")
    assert "per_channel=True" in manifest["recipe"]["quantize"]
    assert "reduce_range=True" in manifest["recipe"]["quantize"]
    fused = manifest["recipe"]["fused_operators"]
    assert fused.get("Attention") == 12 and fused.get("SkipLayerNormalization") == 24
    assert (folder / "model.onnx").stat().st_size < 150e6  # int8: ~118 MB against 470 MB fp32


def test_int8_weights_fit_in_seven_bits_so_no_cpu_clips_their_products(onnx_enc):
    # Without VNNI, x86 CPUs add pairs of uint8 activation × int8 weight products in a signed
    # 16-bit sum that clips; with VNNI they add exactly. Only 7-bit weights keep the two equal:
    # an 8-bit export gave other vectors, retrieval and answers on each (eval/RESULTS.md).
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(onnx_enc.path / "model.onnx"))
    weights = [numpy_helper.to_array(t) for t in model.graph.initializer
               if t.data_type == onnx.TensorProto.INT8]
    assert len(weights) >= 4 * 12  # Q/K/V (one QAttention), output and two feed-forward per layer
    largest = max(int(np.abs(w.astype(np.int32)).max()) for w in weights)
    assert 2 * 255 * largest <= 2**15 - 1, largest


def test_threads_from_environment(monkeypatch):
    monkeypatch.setenv("VNQA_THREADS", "1")
    assert onnx_encoder.default_threads() == 1
    monkeypatch.setenv("VNQA_THREADS", "0")
    with pytest.raises(ValueError):
        onnx_encoder.default_threads()
    monkeypatch.delenv("VNQA_THREADS")
    assert onnx_encoder.default_threads() >= 1


def test_runs_without_importing_torch(onnx_enc):
    """The serving process needs neither torch nor sentence-transformers once exported."""
    code = textwrap.dedent("""
        import sys
        from qa.index.onnx_encoder import OnnxEncoder
        enc = OnnxEncoder(threads=1, log=lambda *a: None)
        assert enc.encode_queries(["xin chào"]).shape == (1, 384)
        heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
        print(",".join(heavy) or "none")
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "none"


# ---------------------------------------------------------------------------- atomic export
def _fake_model_dir(root: Path) -> Path:
    """A converted-model folder layout whose record names the real weights' checksum (the export
    step is replaced, so the 470 MB weights themselves are not needed)."""
    real = ensure_model()
    st = root / real.parent.name / "st"
    st.mkdir(parents=True)
    shutil.copy(real.parent / "vnqa_conversion.json", st.parent / "vnqa_conversion.json")
    return st


_COPY_EXPORT = """
import json, shutil, time
from pathlib import Path
import qa.index.onnx_encoder as oe
from qa.index.e5_convert import ensure_model

REAL = oe.onnx_dir_for(ensure_model(log=lambda *a: None))

def copy_export(model_dir, out_dir, pause=0.0, crash=False, count=None):
    out_dir.mkdir(parents=True)
    if count:
        with open(count, "a") as fh:
            fh.write("export\\n")
    shutil.copyfile(REAL / "model.onnx", out_dir / "model.onnx")
    time.sleep(pause)
    if crash:  # die half-way, as a killed process would: no cleanup runs
        import os
        os._exit(3)
    shutil.copyfile(REAL / "tokenizer.json", out_dir / "tokenizer.json")
    manifest = json.loads((REAL / oe.MANIFEST).read_text())
    manifest["source_weights_sha256"] = oe._source_fingerprint(model_dir)
    return manifest
"""


def _run(code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _COPY_EXPORT + textwrap.dedent(code)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_crashed_export_leaves_no_model_and_is_cleaned(onnx_enc, tmp_path, monkeypatch):
    st = _fake_model_dir(tmp_path)
    crash = _run(f"""
        oe.export = lambda m, o: copy_export(m, o, crash=True)
        oe.ensure_onnx(Path({str(st)!r}), log=lambda *a: None)
    """)
    assert crash.wait(timeout=120) == 3, crash.stderr.read()[-2000:]
    folder = onnx_dir_for(st)
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers and (leftovers[0] / "model.onnx").exists()  # the half-written export
    assert not folder.exists()  # ... never reached the final name

    namespace: dict = {}
    exec(compile(_COPY_EXPORT, "copy_export", "exec"), namespace)
    calls = []
    monkeypatch.setattr(onnx_encoder, "export", lambda m, o: calls.append(o) or namespace["copy_export"](m, o))
    assert ensure_onnx(st, log=lambda *a: None) == folder
    assert len(calls) == 1
    assert (folder / MANIFEST).exists() and onnx_encoder._manifest_ok(folder, onnx_encoder._source_fingerprint(st))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".tmp-", ".old-"))]

    assert ensure_onnx(st, log=lambda *a: None) == folder and len(calls) == 1  # reused, verified
    with (folder / "model.onnx").open("r+b") as fh:  # corrupt it: the checksum catches it
        fh.seek(1000)
        fh.write(b"\x00\x01\x02\x03")
    messages = []
    assert ensure_onnx(st, log=messages.append) == folder and len(calls) == 2
    assert any("checksum" in m for m in messages)
    assert onnx_encoder._manifest_ok(folder, onnx_encoder._source_fingerprint(st))


def test_concurrent_exports_export_once(tmp_path):
    st = _fake_model_dir(tmp_path)
    count = tmp_path / "count.txt"
    code = f"""
        oe.export = lambda m, o: copy_export(m, o, pause=1.0, count={str(count)!r})
        print(oe.ensure_onnx(Path({str(st)!r}), log=lambda *a: None))
    """
    procs = [_run(code), _run(code)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    assert {o[0].strip() for o in outs} == {str(onnx_dir_for(st))}
    assert count.read_text().count("export") == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".tmp-", ".old-"))]


# ---------------------------------------------------------------------------- factory
def test_make_embedder_respects_vnqa_encoder(monkeypatch):
    monkeypatch.delenv("VNQA_MODEL", raising=False)
    monkeypatch.setenv("VNQA_ENCODER", "torch")
    torch_enc = make_embedder()
    assert type(torch_enc) is Embedder and torch_enc.runtime == "torch"
    assert make_embedder(runtime="onnx").runtime == "onnx"  # the argument beats the environment
    monkeypatch.setenv("VNQA_ENCODER", "tensorflow")
    with pytest.raises(ValueError):
        make_embedder()


def test_make_embedder_defaults(monkeypatch):
    monkeypatch.delenv("VNQA_MODEL", raising=False)
    monkeypatch.delenv("VNQA_ENCODER", raising=False)
    assert isinstance(make_embedder(), OnnxEncoder)  # onnxruntime is installed here
    # a user-given model always runs on torch, even when onnx is asked for
    messages = []
    user = make_embedder(str(ensure_model()), runtime="onnx", log=messages.append)
    assert type(user) is Embedder and messages


# flags as /proc/cpuinfo lists them: this session's AMD EPYC (AVX-512 VNNI), an AVX2-only server,
# a client CPU with AVX-VNNI but no AVX-512, and a CPU with neither
@pytest.mark.parametrize("flags, expected", [
    ("fpu sse2 avx2 avx512f avx512bw avx512vl avx512_bf16 avx512vbmi avx512_vnni avx512_bitalg", "vnni"),
    ("fpu sse2 ssse3 sse4_1 sse4_2 avx f16c avx2 bmi2", "saturating"),
    ("fpu sse2 avx avx2 avx_vnni sha_ni", "vnni"),
    ("fpu sse2 ssse3", "other"),
    ("", "other"),
])
def test_the_cpu_s_int8_arithmetic_is_read_from_its_flags(flags, expected):
    assert onnx_encoder.int8_arithmetic(flags) == expected


def test_cpu_flags_are_read_from_the_flags_line(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx2 avx512_vnni\n\n"
                       "processor\t: 1\nflags\t\t: fpu\n", encoding="utf-8")
    assert onnx_encoder.int8_arithmetic(onnx_encoder.cpu_flags(cpuinfo)) == "vnni"
    assert onnx_encoder.cpu_flags(tmp_path / "missing") == ""
