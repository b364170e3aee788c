"""Fetch the browser libraries the dashboard serves itself (`make vendor`, run by every setup).

The charts are drawn by Plotly's official *basic* bundle (bar, scatter, pie: every chart the
app draws on screen; maps have their own renderer), a quarter of the bundle Streamlit loads for
`st.plotly_chart`, and by Plotly's French locale. Both come from the npm registry, pinned and
checked against the registry's sha512 before anything is written; after setup they are served
by Streamlit from `static/vendor/` (nothing is asked of a CDN). The plotly.js version is the one
of the Python `plotly` package pinned in requirements.txt (tests/test_chart.py checks it).

    python scripts/fetch_vendor.py [--dest static/vendor]
"""
import argparse
import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = "https://registry.npmjs.org"

# package, version, sha512 (the registry's `dist.integrity`), file in the tarball -> file written
PACKAGES = [
    ("plotly.js-basic-dist-min", "4.1.1",
     "1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE775C4kkjMQ==",
     {"package/plotly-basic.min.js": "plotly-basic.min.js",
      "package/LICENSE": "plotly-basic.LICENSE"}),
    # the newest published locales (their dictionaries are plain data, read by plotly.js 4)
    ("plotly.js-locales", "3.7.0",
     "ksB7hfy9Pk9SQtkfK1AfpRy2O/2iIh7CxQat8vsk1cCySwyLUuHXltsr4ReUeORScxPjGnyW00aNe97fDivsmA==",
     {"package/fr.js": "plotly-locale-fr.js"}),
]

# The locale files are CommonJS modules (`module.exports = {...}`): wrapped so that a <script>
# loaded after plotly.js registers them.
_WRAP = ("(function () {{ var module = {{ exports: {{}} }};\n{body}\n"
         "Plotly.register(module.exports); }})();\n")


def fetch(name: str, version: str, integrity: str) -> bytes:
    url = f"{REGISTRY}/{name}/-/{name}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (pinned https URL)
        data = response.read()
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        raise SystemExit(f"{name}@{version}: sha512 {digest} is not the pinned {integrity}")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / "static" / "vendor")
    args = parser.parse_args(argv)
    args.dest.mkdir(parents=True, exist_ok=True)
    for name, version, integrity, files in PACKAGES:
        with tarfile.open(fileobj=io.BytesIO(fetch(name, version, integrity))) as tar:
            for member, target in files.items():
                body = tar.extractfile(member).read()
                if target.startswith("plotly-locale-"):
                    body = _WRAP.format(body=body.decode("utf-8")).encode("utf-8")
                (args.dest / target).write_bytes(body)
        print(f"{name}@{version} -> {args.dest}")
    (args.dest / "VERSIONS").write_text(
        "".join(f"{name}=={version}\n" for name, version, _, _ in PACKAGES), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
