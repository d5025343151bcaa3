"""dlref: deep-learning concepts from the terminal, in English and Chinese."""

import os as _os

__version__ = "0.1.0"

# dlref's arrays are small: a multi-threaded BLAS only adds hand-off overhead (one lstsq in
# the approximation demo went from 2 ms to 140 ms on a busy 2-core machine). Set before NumPy
# is first imported; an explicit setting in the environment still wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
