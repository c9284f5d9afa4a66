"""Write media/samples/heldout-sample.py: an excerpt of a held-out CPython standard-library file (PSF-2.0) that the
unit tests analyse through the engine. Usage: write_samples.py <work> <samples_dir>"""
import json
import os
import sys

SOURCE = "/usr/lib/python3.11/fractions.py"  # held out by build_corpus.py's path hash
LINES = 30


def main():
    work, samples_dir = sys.argv[1], sys.argv[2]
    docs = {d["path"]: d["text"] for d in json.load(open(os.path.join(work, "heldout", "code.json")))}
    lines = docs[SOURCE].split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("    def "))
    excerpt = "\n".join(lines[start:start + LINES]) + "\n"
    os.makedirs(samples_dir, exist_ok=True)
    header = f"# Excerpt of CPython 3.11 Lib/fractions.py (PSF License 2.0), held out from training.\n"
    with open(os.path.join(samples_dir, "heldout-sample.py"), "w") as f:
        f.write(header + excerpt)


if __name__ == "__main__":
    main()
