#!/usr/bin/env python3
"""Write small HDF5 files in the layouts h5py can produce, for the tests of
kerascpp's structural pre-check of HDF5 files (src/saving/h5_precheck.cpp,
tests/saving/h5_precheck_test.cpp).

    /work/venv/keras/bin/python reference/make_hdf5_layouts.py

Writes tests/fixtures/hdf5_layouts/:
- valid_*.h5: files HDF5 1.10.8 reads; the pre-check must pass them.
  valid_default.h5 is h5py's default format (what Keras writes: superblock 0,
  old-style groups with symbol table B-trees, version 1 object headers);
  valid_v110.h5 the HDF5 1.10 format (superblock 3, "OHDR" object headers,
  link messages, version 4 layouts with their chunk indexes);
  valid_track_order.h5 a root group tracking creation order (an "OHDR"
  header with "OCHK" continuation chunks in a superblock 0 file);
  valid_userblock.h5 a file whose superblock is at byte 512. Each holds
  str/bytes/bool/number attributes, contiguous, compact, chunked (gzip,
  shuffle, Fletcher-32; not in valid_v110.h5, see below), empty and scalar
  datasets, fill values, soft and hard links.
- refused_*.h5: valid HDF5 that kerascpp refuses by name: dense link and
  attribute storage (many links or attributes in the 1.10 format),
  compressed chunks indexed by the 1.10 format's structures, an
  external link, a dataset stored in an external file, a filter other than
  gzip/shuffle/Fletcher-32 (h5py's lzf), and HDF5 2.0's libver="latest"
  format (an enumeration of datatype version 5, which HDF5 1.10 cannot read
  either).
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "hdf5_layouts")


def fill(f, gzip=True):
    """A little of everything, at most 8 links per group (compact links in
    the 1.10 format). gzip: compressed datasets of many chunks (the 1.10
    format indexes them with structures kerascpp refuses)."""
    vars_ = f.create_group("layers/dense/vars")
    vars_.create_dataset("0", data=np.arange(12, dtype="float32").reshape(3, 4))
    vars_.create_dataset("1", data=np.zeros(4, "float32"))
    vars_.attrs["name"] = "dense"
    f.attrs["model_config"] = '{"class_name": "Sequential"}' * 20
    f.attrs["layer_names"] = np.array([b"dense", b"dense_1"])
    f.attrs["weight_names"] = ["kernel:0", "bias:0", ""]
    f.attrs["flag"] = True
    f.attrs["half"] = np.float16(1.5)
    f.attrs["matrix"] = np.arange(6, dtype="int8").reshape(2, 3)
    f.attrs["empty"] = np.zeros((0,), "float64")
    d = f.create_group("data")
    if gzip:
        d.create_dataset("gzip", data=np.arange(400, dtype="float32").reshape(40, 10),
                         chunks=(10, 10), compression="gzip", shuffle=True, fletcher32=True)
    d.create_dataset("chunked", data=np.ones((40, 10), "float64"), chunks=(10, 5))
    d.create_dataset("growable", data=np.ones((30, 4), "int32"), chunks=(8, 4), maxshape=(None, 4))
    d.create_dataset("growable2", data=np.ones((30, 4), "int16"), chunks=(8, 4),
                     maxshape=(None, None))
    d.create_dataset("single_chunk", data=np.ones((5, 5), "float32"), chunks=(5, 5),
                     compression="gzip")
    d.create_dataset("empty", shape=(0,), dtype="float32")
    d.create_dataset("scalar", data=np.float64(3.5))
    d.create_dataset("filled", shape=(5,), dtype="int32", fillvalue=7)
    links = f.create_group("links")
    links.create_dataset("strings", data=["abc", "de"], dtype=h5py.string_dtype())
    links["soft"] = h5py.SoftLink("/layers")
    links["hard"] = f["layers/dense"]


def main():
    os.makedirs(OUT, exist_ok=True)
    path = lambda name: os.path.join(OUT, name)
    with h5py.File(path("valid_default.h5"), "w") as f:
        fill(f)
        many = f.create_group("many")  # several symbol nodes under one B-tree node
        for i in range(20):
            many.create_group("group_%02d" % ((i * 7) % 20))
    with h5py.File(path("valid_v110.h5"), "w", libver=("v110", "v110")) as f:
        fill(f, gzip=False)
    with h5py.File(path("valid_track_order.h5"), "w", track_order=True) as f:
        fill(f)
    with h5py.File(path("valid_userblock.h5"), "w", userblock_size=512) as f:
        f.create_dataset("x", data=np.arange(3.0))
        f.attrs["text"] = "hello"

    with h5py.File(path("refused_dense_links.h5"), "w", libver=("v110", "v110")) as f:
        for i in range(9):
            f.create_group("g%d" % i)
    with h5py.File(path("refused_dense_attributes.h5"), "w", libver=("v110", "v110")) as f:
        for i in range(9):
            f.attrs["a%d" % i] = i
    with h5py.File(path("refused_external_link.h5"), "w") as f:
        f["elsewhere"] = h5py.ExternalLink("other.h5", "/")
    with h5py.File(path("refused_external_data.h5"), "w") as f:
        f.create_dataset("x", shape=(4,), dtype="float32", external=[("x.bin", 0, 16)])
    with h5py.File(path("refused_v110_gzip.h5"), "w", libver=("v110", "v110")) as f:
        f.create_dataset("x", data=np.ones((10, 10), "float32"), chunks=(5, 5), compression="gzip")
    with h5py.File(path("refused_lzf_filter.h5"), "w") as f:
        f.create_dataset("x", data=np.ones((10, 10), "float32"), chunks=(5, 5), compression="lzf")
    with h5py.File(path("refused_latest_format.h5"), "w", libver="latest") as f:
        f.attrs["flag"] = True  # an enumeration of datatype version 5


if __name__ == "__main__":
    main()
