"""Static files for production: content-hashed names and gzip/brotli copies (whitenoise).

The vendored Bootstrap build names source maps (`sourceMappingURL`) that are not shipped; Django's
manifest storage would refuse to collect it. CSS `url()`/`@import` references are still rewritten to their
hashed names; only the source-map comments are left as they are (a browser asks for them only with its
developer tools open, and gets a 404).
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _is_source_map(pattern) -> bool:
    return "sourceMappingURL" in (pattern[0] if isinstance(pattern, tuple) else pattern)


class StaticStorage(CompressedManifestStaticFilesStorage):
    patterns = tuple(
        (glob, tuple(p for p in patterns if not _is_source_map(p)))
        for glob, patterns in ManifestStaticFilesStorage.patterns
    )
