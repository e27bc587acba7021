#!/usr/bin/env python3
"""Write small .npy files for testing the C++ .npy reader.

    python reference/make_npy_fixtures.py

Writes tests/fixtures/npy/<name>.npy and tests/fixtures/npy/npy_cases.json
(name -> {"dtype", "shape", "fortran_order", "header", "values"}), where
"dtype" is numpy's dtype.str as written in the header ('<f4', '>f4', '|b1'
...), "values" the flat list in C order, and "header" the header dict text
exactly as stored in the file.  Only numpy is needed.
"""

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.join(os.path.dirname(HERE), "tests", "fixtures", "npy")


def cases():
    c = {}
    c["f32_2x3"] = np.array([[1.5, -2.25, 3.0], [0.0, 1e-3, -7.125]], np.float32)
    c["f64_fortran_3x4"] = np.asfortranarray(
        np.arange(12, dtype=np.float64).reshape(3, 4) * 0.5 - 1.0
    )
    c["i32_2x2"] = np.array([[1, -2], [2147483647, -2147483648]], np.int32)
    c["i64_4"] = np.array([0, -1, 5000000000, -9007199254740991], np.int64)
    c["bool_2x3"] = np.array([[True, False, True], [False, False, True]])
    c["u8_4"] = np.array([0, 1, 128, 255], np.uint8)
    c["scalar_f32"] = np.array(3.25, np.float32)  # 0-d, shape ()
    c["empty_0x3"] = np.zeros((0, 3), np.float32)
    c["f32_big_endian_2x2"] = np.array([[1.0, -2.0], [0.5, 1e10]], dtype=">f4")
    c["f32_1d_5"] = np.array([0.1, 0.2, 0.3, 0.4, 0.5], np.float32)
    return c


def header_text(path):
    with open(path, "rb") as f:
        major, minor = np.lib.format.read_magic(f)
        if (major, minor) == (1, 0):
            hlen = int.from_bytes(f.read(2), "little")
        else:
            hlen = int.from_bytes(f.read(4), "little")
        return (major, minor), f.read(hlen).decode("latin1")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    meta = {}
    for name, arr in cases().items():
        path = os.path.join(OUT_DIR, name + ".npy")
        np.save(path, arr)
        back = np.load(path)
        assert back.dtype == arr.dtype and back.shape == arr.shape
        assert np.array_equal(back, arr)
        version, header = header_text(path)
        fortran = bool(arr.flags.f_contiguous and not arr.flags.c_contiguous)
        if arr.dtype.kind == "f":
            values = [float(v) for v in arr.ravel(order="C")]
        elif arr.dtype.kind == "b":
            values = [bool(v) for v in arr.ravel(order="C")]
        else:
            values = [int(v) for v in arr.ravel(order="C")]
        meta[name] = {
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
            "fortran_order": fortran,
            "format_version": list(version),
            "header": header,
            "file_size": os.path.getsize(path),
            "values": values,
        }
        assert ("'fortran_order': True" in header) == fortran, name
        print(f"{name:22s} dtype={arr.dtype.str:4s} shape={arr.shape} "
              f"fortran={fortran}")
    with open(os.path.join(OUT_DIR, "npy_cases.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
