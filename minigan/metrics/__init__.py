"""Measuring a GAN: the paper's Parzen-window log-likelihood, its theory checked in 1-D, and
mode coverage on the 2-D toys.

    parzen.py   parzen_log_likelihood, select_sigma, parzen_estimate (Table 1)
    theory.py   D* = p_data/(p_data + p_g), V(D, G), JSD, C(G) = −log 4 + 2·JSD, and
                train_discriminator_to_convergence (Proposition 1, measured)
    kde.py      gaussian_kde: p_g from G's samples, for the 1-D theory checks
    modes.py    mode_coverage and collapse_experiment (the "Helvetica scenario")

The non-convergence of gradient play on v(a, b) = a·b lives in minigan.game.
"""
from .kde import gaussian_kde, silverman_bandwidth
from .modes import CollapseRun, ModeReport, collapse_experiment, mode_coverage
from .parzen import (ParzenResult, default_sigmas, parzen_estimate, parzen_log_likelihood,
                     select_sigma)
from .theory import (DiscriminatorReport, c_of_g, jsd, optimal_discriminator,
                     train_discriminator_to_convergence, value)

__all__ = ["parzen_log_likelihood", "select_sigma", "parzen_estimate", "ParzenResult",
           "default_sigmas", "optimal_discriminator", "value", "jsd", "c_of_g",
           "train_discriminator_to_convergence", "DiscriminatorReport", "gaussian_kde",
           "silverman_bandwidth", "mode_coverage", "ModeReport", "collapse_experiment",
           "CollapseRun"]
