def parse_small_int(value: object, *, max_digits: int = 4) -> int | None:
    """A whole number typed by a person, or None. Only ASCII digits count ("²".isdigit() is true, but int()
    refuses it), and only a few of them, so that a huge number cannot make int() give up with an error."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
