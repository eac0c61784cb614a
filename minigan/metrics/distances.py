"""Squared Euclidean distances between every pair of rows, by one matrix product.

    ‖a_i − b_j‖² = ‖a_i‖² − 2 a_i·b_j + ‖b_j‖²

The (n, m) table costs one (n, d) × (d, m) product instead of an (n, m, d) array of
differences. Round-off can leave a true 0 as about −1e-13; callers that need ≥ 0 clip.
Only array methods and `@` are used, so it runs on NumPy and CuPy arrays alike.
"""


def squared_distances(a, b, a_sq=None, b_sq=None):
    """(n, m) table of ‖a_i − b_j‖²; pass a_sq / b_sq (the rows' squared norms) to reuse them."""
    if a_sq is None:
        a_sq = (a * a).sum(axis=1)
    if b_sq is None:
        b_sq = (b * b).sum(axis=1)
    return a_sq[:, None] - 2.0 * (a @ b.T) + b_sq[None, :]
