"""Where MNIST and Fashion-MNIST come from, and the SHA-256 every download must match.

Each named set is four gzipped IDX files, tried from its mirrors in order. The checksums
are facts about the published files, looked up, not computed here:

* MNIST (LeCun, Cortes & Burges; CC BY-SA 3.0): SHA-256 and sizes from TensorFlow
  Datasets, tensorflow_datasets/url_checksums/mnist.txt
  (https://github.com/tensorflow/datasets, commit 31f1255e57e519a6c004f0b097a2f5cfcf0dde7d).
  Mirrors: PyTorch's S3 copy (torchvision/datasets/mnist.py, `MNIST.mirrors`) and Google's
  CVDF bucket (the URLs in that same TFDS file); yann.lecun.com no longer serves them.
* Fashion-MNIST (Xiao, Rasul & Vollgraf, Zalando Research, 2017; MIT): SHA-256 and sizes
  from tensorflow_datasets/url_checksums/fashion_mnist.txt (same repository, commit
  333639b37af6c6fedf3610a4a2d42f1c6ef6f7d5). Mirrors: the S3 website given in that file and
  in torchvision, then the copy in https://github.com/zalandoresearch/fashion-mnist (data/fashion).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class RemoteFile:
    """One published file: its name, its size in bytes and its SHA-256 (hex)."""
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class RemoteSet:
    """A named data set: its cache subfolder, mirrors (tried in order), files and credit."""
    name: str
    subfolder: str
    mirrors: tuple
    files: tuple
    credit: str


TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"
IDX_NAMES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

MNIST = RemoteSet(
    name="mnist",
    subfolder="mnist",
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    files=(
        RemoteFile(TRAIN_IMAGES + ".gz", 9912422,
                   "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        RemoteFile(TRAIN_LABELS + ".gz", 28881,
                   "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        RemoteFile(TEST_IMAGES + ".gz", 1648877,
                   "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        RemoteFile(TEST_LABELS + ".gz", 4542,
                   "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    ),
    credit="MNIST, Y. LeCun, C. Cortes and C. J. C. Burges (CC BY-SA 3.0)",
)

FASHION_MNIST = RemoteSet(
    name="fashion-mnist",
    subfolder="fashion-mnist",
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
    files=(
        RemoteFile(TRAIN_IMAGES + ".gz", 26421880,
                   "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        RemoteFile(TRAIN_LABELS + ".gz", 29515,
                   "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        RemoteFile(TEST_IMAGES + ".gz", 4422102,
                   "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        RemoteFile(TEST_LABELS + ".gz", 5148,
                   "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    ),
    credit="Fashion-MNIST, H. Xiao, K. Rasul and R. Vollgraf, Zalando Research (MIT)",
)

REMOTE_SETS = {s.name: s for s in (MNIST, FASHION_MNIST)}
