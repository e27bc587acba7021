"""Fashion-MNIST from the Debian package dataset-fashion-mnist
(/usr/share/datasets/fashion-mnist/*.gz, gzip-compressed IDX files).

Only NumPy is needed, so both the PyTorch (/usr/bin/python3) and the Keras
(venv) scripts import this module.  Images stay uint8 (60000x28x28 is 45 MiB;
as float32 it would be 180 MiB): the models rescale by 1/255 themselves.
"""

import gzip
import os
import struct

import numpy as np

DEFAULT_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def read_idx(path):
    """One IDX file: magic (0, 0, type 0x08 = uint8, number of dims), then
    the dims as big-endian uint32, then the data."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not a uint8 IDX file (magic {data[:4].hex()})")
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {arr.size} bytes of data, dims {dims}")
    # copy(): frombuffer gives a read-only view, which torch.from_numpy warns about.
    return arr.reshape(dims).copy()


def load(split, directory=DEFAULT_DIR):
    """(images uint8 [n, 28, 28], labels uint8 [n]) for split 'train'/'test'."""
    img_name, lbl_name = _FILES[split]
    x = read_idx(os.path.join(directory, img_name))
    y = read_idx(os.path.join(directory, lbl_name))
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{split}: {x.shape[0]} images but {y.shape[0]} labels")
    return x, y


def peak_rss_mib():
    """Peak resident set size of this process (Linux ru_maxrss is in KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def result_line(framework, epoch_seconds, test_accuracy):
    """The one machine-readable line: median of epochs 2..N (epoch 1 holds
    compilation / warm-up; with a single epoch that epoch is used)."""
    timed = epoch_seconds[1:] or epoch_seconds
    return (
        f"framework={framework} seconds_per_epoch={float(np.median(timed)):.3f} "
        f"test_accuracy={test_accuracy:.4f} peak_rss_mib={peak_rss_mib():.0f}"
    )
