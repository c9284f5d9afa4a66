"""Build the training / held-out corpus for the bundled model from freely licensed text on this machine.

Deterministic: sorted file lists, a hash of each path picks train vs held-out, fixed byte caps per source.
Writes <work>/train/*.txt (one document per file) and <work>/heldout/{code,prose}.txt plus sources.json.
"""
import gzip
import hashlib
import json
import os
import sys

WORK = sys.argv[1] if len(sys.argv) > 1 else "/tmp/attention-lens-train"
# Permissive licences whose text we may train on and describe in the model card.
JS_LICENCES = {"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "0BSD"}
CAPS = {"python": 9_000_000, "javascript": 6_000_000, "prose": 5_000_000}
JS_PER_PACKAGE = 60_000
HELDOUT_CAPS = {"python": 400_000, "javascript": 300_000, "prose": 300_000}


def is_heldout(path: str) -> bool:
    # One file in ten, chosen by path hash, never reaches training.
    return int(hashlib.sha1(path.encode()).hexdigest(), 16) % 10 == 0


def read_text(path: str) -> str | None:
    try:
        raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError):
        return None
    if "\x00" in text or not text.strip():
        return None
    return text.replace("\r\n", "\n")


def looks_minified(text: str) -> bool:
    lines = text.count("\n") + 1
    return len(text) / lines > 160


def python_files():
    root = "/usr/lib/python3.11"
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("dist-packages", "site-packages", "__pycache__"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name), "PSF-2.0 (CPython standard library)"


def js_packages():
    root = "/work/main/node_modules"
    pkgs = []
    for name in sorted(os.listdir(root)):
        if name.startswith("."):
            continue
        if name.startswith("@"):
            pkgs += [os.path.join(root, name, sub) for sub in sorted(os.listdir(os.path.join(root, name)))]
        else:
            pkgs.append(os.path.join(root, name))
    for pkg in pkgs:
        try:
            meta = json.load(open(os.path.join(pkg, "package.json")))
        except (OSError, ValueError):
            continue
        licence = meta.get("license")
        if isinstance(licence, str) and licence in JS_LICENCES:
            yield pkg, meta.get("name", os.path.basename(pkg)), licence


def javascript_files():
    # Cap each package so a few huge SDKs do not crowd out the rest of node_modules.
    for pkg, name, licence in js_packages():
        taken = 0
        for dirpath, dirnames, filenames in os.walk(pkg):
            dirnames[:] = sorted(d for d in dirnames if d != "node_modules")
            for fname in sorted(filenames):
                if taken < JS_PER_PACKAGE and fname.endswith((".js", ".mjs", ".cjs", ".ts")) and not fname.endswith((".min.js", ".d.ts")):
                    path = os.path.join(dirpath, fname)
                    taken += os.path.getsize(path)
                    yield path, f"{licence} ({name})"


def prose_files():
    for dirpath, dirnames, filenames in os.walk("/usr/share/common-licenses"):
        dirnames.sort()
        for name in sorted(filenames):
            yield os.path.join(dirpath, name), "licence texts (verbatim copying permitted)"
    for dirpath, dirnames, filenames in os.walk("/usr/share/doc"):
        dirnames.sort()
        for name in sorted(filenames):
            low = name.lower()
            if low.startswith(("readme", "news", "faq", "todo", "changelog.gz")) or low.endswith((".txt", ".txt.gz", ".md", ".md.gz", ".rst")):
                if "changelog.debian" in low:
                    continue
                yield os.path.join(dirpath, name), "Debian package documentation (licence in the package's copyright file)"


def collect(kind, files, out_dir, heldout_parts, sources):
    used, held = 0, 0
    licences = {}
    for path, licence in files:
        text = read_text(path)
        if text is None or len(text) > 300_000 or (kind == "javascript" and looks_minified(text)):
            continue
        if is_heldout(path):
            if held < HELDOUT_CAPS[kind]:
                heldout_parts.setdefault("prose" if kind == "prose" else "code", []).append((path, text))
                held += len(text)
            continue
        if used >= CAPS[kind]:
            continue
        with open(os.path.join(out_dir, f"{kind}-{len(licences.get('_files', [])):05d}.txt"), "w") as f:
            f.write(text)
        licences.setdefault("_files", []).append(path)
        licences[licence] = licences.get(licence, 0) + 1
        used += len(text)
    files_list = licences.pop("_files", [])
    sources[kind] = {"train_chars": used, "heldout_chars": held, "train_files": len(files_list), "licences": licences}


def main():
    train_dir = os.path.join(WORK, "train")
    os.makedirs(train_dir, exist_ok=True)
    for old in os.listdir(train_dir):
        os.remove(os.path.join(train_dir, old))
    heldout, sources = {}, {}
    collect("python", python_files(), train_dir, heldout, sources)
    collect("javascript", javascript_files(), train_dir, heldout, sources)
    collect("prose", prose_files(), train_dir, heldout, sources)
    os.makedirs(os.path.join(WORK, "heldout"), exist_ok=True)
    for part, docs in heldout.items():
        with open(os.path.join(WORK, "heldout", f"{part}.json"), "w") as f:
            json.dump([{"path": p, "text": t} for p, t in docs], f)
    with open(os.path.join(WORK, "sources.json"), "w") as f:
        json.dump(sources, f, indent=2)
    print(json.dumps(sources, indent=2))


if __name__ == "__main__":
    main()
