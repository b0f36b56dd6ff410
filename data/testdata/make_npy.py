"""Writes the .npy files of this folder with NumPy's own writer, so that the
reader is tested on what NumPy produces (made with Debian's python3-numpy
1.24.2: /usr/bin/python3 make_npy.py). Each array holds 0, 1, 2, … so that a
test can check every value."""

import gzip

import numpy as np
from numpy.lib import format as npformat


def save(name, a, version=None):
    with open(name, "wb") as f:
        npformat.write_array(f, a, version=version, allow_pickle=False)


base = np.arange(6).reshape(2, 3)
save("f4_v1.npy", base.astype("<f4"), (1, 0))
save("f8_v2.npy", base.astype("<f8"), (2, 0))
save("u1_v3.npy", base.astype("|u1"), (3, 0))
save("i4.npy", base.astype("<i4"))
save("i8.npy", base.astype("<i8"))
save("labels.npy", np.arange(2, dtype="<i8"))
save("scalar.npy", np.float32(0))
save("fortran.npy", np.asfortranarray(base.astype("<f4")))
save("bigendian.npy", base.astype(">f4"))
save("structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))
with open("f4_v1.npy", "rb") as f, gzip.GzipFile("f4_v1.npy.gz", "wb", mtime=0) as g:
    g.write(f.read())
