"""What the document tests share: the real reports in tests/corpus (eight published 2025 provincial
government work reports, public documents; PLAN_ASSISTANT_CORPUS points elsewhere) and LibreOffice from Debian's packages to print them as PDF. A test that needs
either is skipped when it is missing, and failed instead when PLAN_ASSISTANT_REQUIRE_CORPUS=1 (as in
CI, which has both)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PLAN_ASSISTANT_CORPUS") or ROOT / "tests" / "corpus")
SOFFICE_TIMEOUT = 600  # eight reports printed in one LibreOffice run take about 10 s on 2 cores


def _missing(reason: str):
    if os.environ.get("PLAN_ASSISTANT_REQUIRE_CORPUS") == "1":
        pytest.fail(reason + " and PLAN_ASSISTANT_REQUIRE_CORPUS=1")
    pytest.skip(reason)


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        _missing(f"{path} is missing (the reports of tests/corpus)")
    return path


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        _missing("LibreOffice is missing (apt-get install -y libreoffice-writer)")
    return found


def to_pdf(sources: list[Path], outdir: Path, filter_options: str = "") -> dict[Path, Path]:
    """Print each .docx as PDF with LibreOffice (one run for all): source -> its PDF. `filter_options`
    is the export filter's JSON, e.g. a document-open password."""
    outdir.mkdir(parents=True, exist_ok=True)
    target = "pdf" + (f":writer_pdf_Export:{filter_options}" if filter_options else "")
    profile = outdir / ".lo-profile"  # its own profile: a LibreOffice open elsewhere cannot block it
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), *map(str, sources)],
        check=True, capture_output=True, timeout=SOFFICE_TIMEOUT,
    )
    out = {src: outdir / f"{src.stem}.pdf" for src in sources}
    missing = [str(p) for p in out.values() if not p.is_file()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return out
