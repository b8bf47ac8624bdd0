"""Pure Indonesian-text understanding: document type, number, date, unit, title, NIK/KK.

No outside tools and no I/O beyond the bundled data files in ``tasks/data``. Input is text
from a PDF text layer or from Tesseract, so every reader tolerates the OCR confusions in
:mod:`tasks.text.confusions`.
"""
