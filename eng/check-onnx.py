#!/usr/bin/env python3
"""Runs the ONNX full checker over exported models.

Usage: eng/check-onnx.py PATH [PATH ...]
Each PATH is an .onnx file or a folder searched recursively for .onnx files. Every model goes through
onnx.checker.check_model(path, full_check=True) (given by path, so external data files are checked too).
Prints one line per model and a count; exits 1 when a model fails, 2 when there is nothing to check or the
onnx package is missing (Debian: apt-get install python3-onnx).
"""
import os
import sys


def _import_onnx():
    try:
        import onnx  # noqa: F401
        import onnx.checker  # noqa: F401
        return onnx
    except ImportError:
        # Debian's python3-onnx installs into the system interpreter; re-run there when this one lacks onnx
        # (for example under pyenv).
        system = "/usr/bin/python3"
        if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
                and not os.environ.get("AIGC_CHECK_ONNX_REEXEC"):
            os.environ["AIGC_CHECK_ONNX_REEXEC"] = "1"
            os.execv(system, [system, os.path.abspath(__file__)] + sys.argv[1:])
        print("check-onnx: the onnx Python package is missing (apt-get install python3-onnx)", file=sys.stderr)
        sys.exit(2)


def _models(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.endswith(".onnx"):
                        yield os.path.join(root, name)
        elif os.path.isfile(path):
            yield path
        else:
            print(f"check-onnx: {path} does not exist", file=sys.stderr)
            yield None


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    onnx = _import_onnx()
    checked = failed = 0
    for model in _models(argv):
        if model is None:
            failed += 1
            continue
        checked += 1
        try:
            onnx.checker.check_model(model, full_check=True)
            print(f"ok     {model}")
        except Exception as error:  # the checker raises ValidationError, shape inference InferenceError
            failed += 1
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            print(f"FAILED {model}: {first}")
    print(f"check-onnx: {checked} models checked, {checked - failed if checked >= failed else 0} passed, {failed} failed (onnx {onnx.__version__})")
    if checked == 0:
        print("check-onnx: no .onnx files found", file=sys.stderr)
        return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
