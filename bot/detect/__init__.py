"""Reply detector: labels a learner's reply by keyword and phrase, citing the words that caused it.

Pure core: no I/O beyond reading the packaged lexicon once.
"""

from bot.detect.labels import LABELS, MISSTEPS
from bot.detect.matcher import detect
from bot.detect.model import Detection, Evidence

__all__ = ["LABELS", "MISSTEPS", "Detection", "Evidence", "detect"]
