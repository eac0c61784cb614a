"""The error types minigan raises on bad input, so callers can catch them by kind.

Each is a subclass of the built-in error a caller would expect (ValueError for bad data,
OSError-like failures stay OSError), and every message names what was wrong: the file,
the layer, the shape or the iteration.
"""


class DataError(ValueError):
    """A data file or array is malformed: bad magic, truncated, wrong checksum, NaN/Inf, ..."""


class CheckpointError(ValueError):
    """A checkpoint is missing, unreadable, or was saved by an incompatible architecture."""


class TrainingDiverged(RuntimeError):
    """A loss became NaN or Inf during training."""
