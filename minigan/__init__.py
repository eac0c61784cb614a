"""minigan: Generative Adversarial Nets (Goodfellow et al., 2014), from scratch, to be studied."""
__version__ = "0.1.0"
