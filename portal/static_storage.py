from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedNamesStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed storage, linking the hashed names even when DEBUG is on.

    Django's manifest storage links plain names in DEBUG, which `make run` (DEBUG on, COLLECTED_STATIC) would
    then serve with `max-age=0`; with the hashed names it caches them for a year, as production does.
    """

    def url(self, name: str | None, force: bool = False) -> str:
        return super().url(name, force=True)
